import { parseAnnotation, parseTrailers, type Verdict } from './annotation.js';
import { joinNul } from './git.js';
import { CHECKPOINT_PREFIX, HANDLE_NAMESPACE, TAG_NAMESPACE, handleName, handleNumber } from './names.js';
import type { Repo } from './repo.js';

export interface CheckpointInfo {
  name: string;
  ref: string;
  /** The annotated tag object (what a prune compares against); undefined for a lightweight tag. */
  tagObject: string | undefined;
  commit: string;
  tree: string;
  /** The commit HEAD was on when the checkpoint was taken; undefined on an unborn branch. */
  parent: string | undefined;
  date: Date;
  message: string;
  verdict: Verdict;
  runId: string | undefined;
  /** Written by choiros (carries our trailers): only these are ever pruned. */
  ours: boolean;
}

/** An undo handle: the state of a work tree just before a rollback. */
export interface HandleInfo {
  /** `pre-rollback/N`. */
  name: string;
  ref: string;
  number: number;
  commit: string;
  tree: string;
  date: Date;
  /** What the rollback went to. */
  target: string;
  /** The work tree it belongs to: linked work trees share refs but not undo history. */
  worktree: string;
}

export interface RefListing {
  checkpoints: CheckpointInfo[];
  handles: HandleInfo[];
}

const FIELDS = ['refname', 'objecttype', 'objectname', '*objecttype', '*objectname', 'tree', '*tree', 'parent', '*parent', 'creatordate:unix', 'contents'];
const FORMAT = FIELDS.map((f) => `%(${f})`).join('%00') + '%00';

interface RawRef {
  ref: string;
  type: string;
  object: string;
  peeledType: string;
  peeled: string;
  tree: string;
  peeledTree: string;
  parent: string;
  peeledParent: string;
  date: Date;
  contents: string;
}

/** Parses `for-each-ref` output in FORMAT: NUL after every field, a newline after each record. */
export function parseRefRecords(stdout: string): RawRef[] {
  const parts = stdout.replace(/\n$/, '').split('\0');
  parts.pop();
  const records: RawRef[] = [];
  for (let i = 0; i + FIELDS.length <= parts.length; i += FIELDS.length) {
    const [ref, type, object, peeledType, peeled, tree, peeledTree, parent, peeledParent, date, contents] = parts.slice(i, i + FIELDS.length) as string[] as [
      string, string, string, string, string, string, string, string, string, string, string,
    ];
    records.push({ ref: ref.replace(/^\n/, ''), type, object, peeledType, peeled, tree, peeledTree, parent, peeledParent, date: new Date(Number(date) * 1000), contents });
  }
  return records;
}

function toCheckpoint(raw: RawRef): CheckpointInfo | undefined {
  const annotated = raw.type === 'tag';
  if (annotated ? raw.peeledType !== 'commit' : raw.type !== 'commit') return undefined;
  const annotation = annotated ? parseAnnotation(raw.contents) : { message: raw.contents.trim().split('\n')[0] ?? '', verdict: 'unverified' as const, runId: undefined, ours: false };
  return {
    name: raw.ref.slice(TAG_NAMESPACE.length),
    ref: raw.ref,
    tagObject: annotated ? raw.object : undefined,
    commit: annotated ? raw.peeled : raw.object,
    tree: annotated ? raw.peeledTree : raw.tree,
    parent: (annotated ? raw.peeledParent : raw.parent).split(' ')[0] || undefined,
    date: raw.date,
    ...annotation,
  };
}

function toHandle(raw: RawRef): HandleInfo | undefined {
  const number = handleNumber(raw.ref);
  if (number === undefined || raw.type !== 'commit') return undefined;
  const { trailers } = parseTrailers(raw.contents);
  return {
    name: handleName(raw.ref),
    ref: raw.ref,
    number,
    commit: raw.object,
    tree: raw.tree,
    date: raw.date,
    target: trailers.get('target') ?? '',
    worktree: trailers.get('worktree') ?? '',
  };
}

/** `checkpoint-20260130-120000-3` → ['checkpoint-20260130-120000', 3]; no suffix → 1. */
function nameOrder(name: string): [string, number] {
  const match = /^(checkpoint-\d{8}-\d{6})-(\d+)$/.exec(name);
  return match === null ? [name, 1] : [match[1] ?? name, Number(match[2])];
}

/** Newest first; within one second (tag dates have no more), the higher `-N` suffix is newer. */
export function newestFirst<T extends { date: Date; name: string }>(items: T[]): T[] {
  return items.sort((a, b) => {
    const byDate = b.date.getTime() - a.date.getTime();
    if (byDate !== 0) return byDate;
    const [baseA, nA] = nameOrder(a.name);
    const [baseB, nB] = nameOrder(b.name);
    return baseA === baseB ? nB - nA : baseA < baseB ? 1 : -1;
  });
}

/** Every checkpoint tag and undo handle, in one `for-each-ref`. */
export async function listRefs(repo: Repo): Promise<RefListing> {
  const stdout = await repo.git.run(['for-each-ref', `--format=${FORMAT}`, `${TAG_NAMESPACE}${CHECKPOINT_PREFIX}*`, HANDLE_NAMESPACE.slice(0, -1)], 'listing checkpoints');
  const records = parseRefRecords(stdout);
  const checkpoints = records.filter((r) => r.ref.startsWith(TAG_NAMESPACE)).map(toCheckpoint);
  const handles = records.filter((r) => r.ref.startsWith(HANDLE_NAMESPACE)).map(toHandle);
  return {
    checkpoints: newestFirst(checkpoints.filter((c): c is CheckpointInfo => c !== undefined)),
    handles: handles.filter((h): h is HandleInfo => h !== undefined).sort((a, b) => b.number - a.number),
  };
}

export type RefUpdate = { kind: 'create'; ref: string; value: string } | { kind: 'update'; ref: string; value: string; old: string } | { kind: 'delete'; ref: string; old: string };

/**
 * Applies ref changes as one transaction with compare-and-swap on every ref: a create fails if
 * the ref exists, an update or delete fails if someone moved the ref since we read it (a
 * checkpoint marked good meanwhile is therefore never pruned). `ok` is false when git refused (or
 * was stopped: `signal`).
 */
export async function updateRefs(repo: Repo, updates: readonly RefUpdate[]): Promise<{ ok: boolean; stderr: string; signal: NodeJS.Signals | undefined }> {
  if (updates.length === 0) return { ok: true, stderr: '', signal: undefined };
  const lines = updates.flatMap((u) => {
    switch (u.kind) {
      case 'create':
        return [`create ${u.ref}`, u.value];
      case 'update':
        return [`update ${u.ref}`, u.value, u.old];
      case 'delete':
        return [`delete ${u.ref}`, u.old];
    }
  });
  const result = await repo.git.exec(['update-ref', '--stdin', '-z'], { input: joinNul(lines) });
  return { ok: !result.failed, stderr: result.stderr, signal: result.signal };
}
