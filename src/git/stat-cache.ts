import { CE_INTENT_TO_ADD, CE_SKIP_WORKTREE, CE_STAGE_MASK, CE_VALID, MODE_OFFSET, OID_OFFSET, entryMode, entryName, entryOid, type IndexLayout } from './index-file.js';

/**
 * choiros keeps its private index between snapshots, as a cache of file stats: a file whose
 * stat has not changed since the last snapshot is not read and hashed again, and the cached
 * trees of unchanged folders are reused by `write-tree`. A copy of the user's index only knows
 * the stats of files as they were at their last `git add`, so every file edited since — and
 * every untracked one — was hashed on every checkpoint.
 *
 * The cache is only ever a source of stats. Which paths a snapshot holds still comes from the
 * user's index and the untracked listing, exactly as with a copy: before `git add -u` runs, the
 * cache is brought to hold every entry of the user's index (its own entry where path and mode
 * agree, the user's otherwise) plus the untracked files an earlier snapshot took; once the
 * listing is known, those it no longer includes are dropped and the included ones added. That
 * gives what `git add -A` gives on a copy of the user's index: tracked files as on disk, whether
 * ignored or not, and the included untracked files.
 */

/** What the cache needs before a snapshot, found by walking both indexes side by side. */
export interface CacheFix {
  /** `update-index --index-info` records: the user's entries the cache lacks or disagrees with, and cache entries to drop. */
  records: Buffer[];
  /** Entries only the cache has (untracked files an earlier snapshot took): kept while the listing includes them. */
  extra: Array<{ path: string; name: Buffer }>;
}

/**
 * The one mode a kept untracked file's entry may have. A new entry's mode depends on settings:
 * under `core.fileMode=false` an executable file gets 100644, and a kept 100755 entry keeps its
 * bit whatever becomes of the file's (git no longer looks); under `core.symlinks=false` a symlink
 * entry stays one when a plain file replaces it. A 100644 entry is what a fresh add gives a
 * plain file under any settings, and git notices when the file stops being one.
 */
export const KEPT_EXTRA_MODE = 0o100644;

/** Flags that make git look away from an entry (or hold no content yet): such a cache entry is never trusted. */
const UNTRUSTED_FLAGS = CE_VALID;
const UNTRUSTED_EXTENDED = CE_SKIP_WORKTREE | CE_INTENT_TO_ADD;
/** Galloping (see `skipSame`) starts after this many agreeing entries in a row, with a first step of GALLOP_FIRST. */
const GALLOP_AFTER = 128;
const GALLOP_FIRST = 64;

function rawName(layout: IndexLayout, i: number): Buffer {
  const start = layout.nameStart[i] ?? 0;
  return layout.names.subarray(start, start + (layout.nameLength[i] ?? 0));
}

/** An `--index-info` record: `mode SP oid TAB path NUL` (mode 0 removes the path). */
export function indexInfoRecord(mode: number, oid: string, name: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${mode.toString(8)} ${oid}\t`, 'latin1'), name, Buffer.from([0])]);
}

/** Entry `i` of an index as an `--index-info` record. */
export function entryRecord(layout: IndexLayout, i: number): Buffer {
  return indexInfoRecord(entryMode(layout, i), entryOid(layout, i), rawName(layout, i));
}

/** True when the cache's submodule entry names the same commit as the user's (an unpopulated submodule keeps whatever its entry says). */
function sameCommit(user: IndexLayout, i: number, cache: IndexLayout, j: number): boolean {
  const ui = (user.entry[i] ?? 0) + OID_OFFSET;
  const cj = (cache.entry[j] ?? 0) + OID_OFFSET;
  return user.buffer.compare(cache.buffer, cj, cj + cache.hashBytes, ui, ui + user.hashBytes) === 0;
}

/**
 * Walks the user's index and the cache side by side (both sorted bytewise by name). A cache
 * entry stands in for the user's entry of the same name when it has the same mode, no flag that
 * makes git look away, and for a submodule the same commit; otherwise the user's entry goes in.
 * Returns undefined when the cache cannot be used: the user's index has skip-worktree entries
 * (absent files of a sparse checkout must keep the user's entry untouched) or unresolved
 * conflicts — or the cache has either, from such a copy. The caller then starts from a copy.
 */
export function compareWithUserIndex(user: IndexLayout, cache: IndexLayout): CacheFix | undefined {
  const sparseOrConflicted = (l: IndexLayout) => (l.anyFlags & CE_STAGE_MASK) !== 0 || (l.anyExtended & CE_SKIP_WORKTREE) !== 0;
  if (sparseOrConflicted(user) || sparseOrConflicted(cache)) return undefined;
  const { userOnly, cacheOnly, disagreeing, submodules } = walk(user, cache);
  const fix: CacheFix = { records: [], extra: [] };
  const zero = '0'.repeat(cache.hashBytes * 2);
  const otherCommit = submodules.filter(([i, j]) => !sameCommit(user, i, cache, j)).map(([i]) => i);
  for (const i of [...userOnly, ...disagreeing, ...otherCommit]) fix.records.push(entryRecord(user, i));
  for (const j of cacheOnly) {
    const trusted = ((cache.flags[j] ?? 0) & UNTRUSTED_FLAGS) === 0 && ((cache.extended[j] ?? 0) & UNTRUSTED_EXTENDED) === 0 && entryMode(cache, j) === KEPT_EXTRA_MODE;
    if (trusted) fix.extra.push({ path: entryName(cache, j), name: rawName(cache, j) });
    else fix.records.push(indexInfoRecord(0, zero, rawName(cache, j)));
  }
  return fix;
}

/**
 * True when entries `i…i+count` of the user's index and `j…j+count` of the cache are the same
 * bytes: the same names, stats, modes and objects. Only for versions 2 and 3, where each entry
 * stands on its own (version 4 compresses a name against the one before it).
 */
function sameEntries(user: IndexLayout, i: number, cache: IndexLayout, j: number, count: number): boolean {
  const us = user.entry[i] ?? 0;
  const ue = user.entry[i + count] ?? 0;
  const cs = cache.entry[j] ?? 0;
  const ce = cache.entry[j + count] ?? 0;
  return ue - us === ce - cs && user.buffer.compare(cache.buffer, cs, ce, us, ue) === 0;
}

/**
 * Most entries of the cache are byte for byte the user's (files unchanged since both were
 * written). When the user's index has no flag that would make such an entry untrustworthy, a
 * long run of them is skipped with a few comparisons of whole byte ranges — galloping: 64, 128,
 * 256 … entries, then back down to 1 — instead of one name at a time. Returns how far both moved.
 */
function skipSame(user: IndexLayout, i: number, cache: IndexLayout, j: number): number {
  let moved = 0;
  let step = GALLOP_FIRST;
  const room = () => Math.min(user.count - i - moved, cache.count - j - moved);
  while (step <= room() && sameEntries(user, i + moved, cache, j + moved, step)) {
    moved += step;
    step *= 2;
  }
  for (step >>= 1; step >= 1; step >>= 1) if (step <= room() && sameEntries(user, i + moved, cache, j + moved, step)) moved += step;
  return moved;
}

interface Walk {
  i: number;
  j: number;
  userOnly: number[];
  cacheOnly: number[];
  disagreeing: number[];
  submodules: Array<[number, number]>;
}

/** The merge itself, as entry numbers: walking, and galloping over long runs of identical entries. */
function walk(user: IndexLayout, cache: IndexLayout): Walk {
  const state: Walk = { i: 0, j: 0, userOnly: [], cacheOnly: [], disagreeing: [], submodules: [] };
  const skipping = user.version !== 4 && cache.version !== 4 && (user.anyFlags & UNTRUSTED_FLAGS) === 0 && (user.anyExtended & UNTRUSTED_EXTENDED) === 0;
  for (;;) {
    step(user, cache, state, skipping ? GALLOP_AFTER : Infinity);
    if (state.i >= user.count || state.j >= cache.count) break;
    const moved = skipSame(user, state.i, cache, state.j);
    state.i += moved;
    state.j += moved;
  }
  while (state.i < user.count) state.userOnly.push(state.i++);
  while (state.j < cache.count) state.cacheOnly.push(state.j++);
  return state;
}

/**
 * Walks entry by entry until one index ends or `streak` entries in a row agree. One loop with
 * no call in it: it runs cold, once per command, over most entries, and a call the optimizer
 * has not seen yet would throw its optimized code away halfway. (A native comparison of two
 * byte ranges costs as much as a few dozen entries walked here, about 1.5 µs on node 20: so
 * galloping waits for a long run of agreeing entries, which tends to go on.)
 */
function step(user: IndexLayout, cache: IndexLayout, state: Walk, streak: number): void {
  const { names: un, buffer: ub, nameStart: uStart, nameLength: uLength, entry: uEntry, count: uCount } = user;
  const { names: cn, buffer: cb, nameStart: cStart, nameLength: cLength, entry: cEntry, count: cCount, flags: cFlags, extended: cExtended } = cache;
  const { userOnly, cacheOnly, disagreeing, submodules } = state;
  let { i, j } = state;
  let agreeing = 0;
  while (i < uCount && j < cCount && agreeing < streak) {
    const us = uStart[i] ?? 0;
    const cs = cStart[j] ?? 0;
    const ul = uLength[i] ?? 0;
    const cl = cLength[j] ?? 0;
    const n = ul < cl ? ul : cl;
    let order = 0;
    for (let k = 0; k < n; k++) {
      order = (un[us + k] ?? 0) - (cn[cs + k] ?? 0);
      if (order !== 0) break;
    }
    if (order === 0) order = ul - cl;
    if (order < 0) {
      userOnly.push(i++);
      agreeing = 0;
    } else if (order > 0) {
      cacheOnly.push(j++);
      agreeing = 0;
    } else {
      const um = (uEntry[i] ?? 0) + MODE_OFFSET;
      const cm = (cEntry[j] ?? 0) + MODE_OFFSET;
      const untrusted = ((cFlags[j] ?? 0) & UNTRUSTED_FLAGS) !== 0 || ((cExtended[j] ?? 0) & UNTRUSTED_EXTENDED) !== 0;
      const otherMode = ub[um] !== cb[cm] || ub[um + 1] !== cb[cm + 1] || ub[um + 2] !== cb[cm + 2] || ub[um + 3] !== cb[cm + 3];
      if (untrusted || otherMode) disagreeing.push(i);
      // Mode 0o160000 (00 00 e0 00), a submodule: an unpopulated one keeps whatever commit its
      // entry names, so it must name the user's. Compared after the walk.
      else if (ub[um + 2] === 0xe0) submodules.push([i, j]);
      else agreeing++;
      i++;
      j++;
    }
  }
  state.i = i;
  state.j = j;
}
