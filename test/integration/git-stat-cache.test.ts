import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, ExternalError } from '../../src/errors.js';
import { Checkpoints, DEFAULT_SETTINGS, type Snapshot } from '../../src/git/index.js';
import { TempRepo } from './git-fixture.js';

/**
 * choiros keeps its private index between snapshots (.git/choiros/index) as a cache of file
 * stats. Whatever happened in between — to the files, to the user's index, to .gitignore — a
 * snapshot taken with the cache must equal one taken from a fresh copy of the user's index.
 */

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.cleanup();
});

function fixture(): TempRepo {
  const repo = TempRepo.create();
  repos.push(repo);
  return repo;
}

const SETTINGS = { ...DEFAULT_SETTINGS, policy: { ...DEFAULT_SETTINGS.policy, maxFileSize: 64 } };
const cacheOf = (repo: TempRepo) => repo.path('.git/choiros/index');
const noteOf = (repo: TempRepo) => repo.path('.git/choiros/index.note');

/** A snapshot as if no cache had ever been kept; the cache and its note are left as they were. */
async function freshSnapshot(repo: TempRepo): Promise<Snapshot> {
  const files = [cacheOf(repo), noteOf(repo)].filter((file) => existsSync(file));
  for (const file of files) renameSync(file, `${file}.aside`);
  try {
    return await new Checkpoints(repo.root, SETTINGS).snapshot();
  } finally {
    rmSync(cacheOf(repo), { force: true });
    rmSync(noteOf(repo), { force: true });
    for (const file of files) renameSync(`${file}.aside`, file);
  }
}

async function expectSameAsFresh(repo: TempRepo): Promise<void> {
  const index = existsSync(repo.path('.git/index')) ? repo.index() : undefined;
  const cached = await new Checkpoints(repo.root, SETTINGS).snapshot();
  expect(existsSync(cacheOf(repo))).toBe(true);
  expect(existsSync(repo.path('.git/index')) ? repo.index() : undefined).toEqual(index);
  const fresh = await freshSnapshot(repo);
  expect(cached).toEqual(fresh);
}

/** a.txt and b.txt committed, dated a minute ago (not racily clean: git trusts their cached stats), and `checkpoints` taken. */
async function twoFilesTrustedByStat(checkpoints: number): Promise<{ repo: TempRepo; store: Checkpoints }> {
  const repo = fixture();
  repo.write('a.txt', 'the real content\n');
  repo.write('b.txt', 'another file\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'two files');
  for (const file of ['a.txt', 'b.txt']) utimesSync(repo.path(file), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  const store = new Checkpoints(repo.root, SETTINGS);
  for (let i = 0; i < checkpoints; i++) await store.create();
  return { repo, store };
}

/** Rewrites the kept index in place with a.txt's entry naming b.txt's blob; its checksum no longer matches. */
function damageKeptIndex(repo: TempRepo): void {
  const cache = readFileSync(cacheOf(repo));
  const oidAt = (name: string) => cache.indexOf(Buffer.from(`${name}\0`)) - 2 - 20;
  cache.copy(cache, oidAt('a.txt'), oidAt('b.txt'), oidAt('b.txt') + 20);
  writeFileSync(cacheOf(repo), cache);
}

describe('the private index kept between snapshots', () => {
  it('takes a tracked file that is ignored again after it was deleted and restored', async () => {
    const repo = fixture();
    repo.write('ignored/tracked.txt', 'forced in\n');
    repo.git('add', '-f', 'ignored/tracked.txt');
    repo.git('commit', '-q', '-m', 'force an ignored file in');
    await expectSameAsFresh(repo);
    repo.remove('ignored/tracked.txt');
    await expectSameAsFresh(repo);
    repo.write('ignored/tracked.txt', 'back again\n');
    await expectSameAsFresh(repo);
    expect(repo.git('ls-tree', '-r', '--name-only', (await new Checkpoints(repo.root, SETTINGS).snapshot()).tree)).toContain('ignored/tracked.txt');
  });

  it('drops an untracked file an earlier snapshot took once it is ignored, too big, or tracked no more', async () => {
    const repo = fixture();
    repo.write('notes.txt', 'small\n');
    repo.write('grows.txt', 'small\n');
    repo.write('src/new.ts', 'export {};\n');
    await expectSameAsFresh(repo);
    repo.write('.gitignore', 'ignored/\n*.log\nnotes.txt\n');
    repo.write('grows.txt', 'x'.repeat(100));
    await new Checkpoints(repo.root, SETTINGS).snapshot();
    // Left out before git looks at it: a file that grew past the cap is never read and stored.
    const grown = repo.git('hash-object', 'grows.txt').trim();
    expect(() => repo.git('cat-file', '-e', grown)).toThrow();
    await expectSameAsFresh(repo);
    const tree = repo.git('ls-tree', '-r', '--name-only', (await new Checkpoints(repo.root, SETTINGS).snapshot()).tree);
    expect(tree).not.toContain('notes.txt');
    expect(tree).not.toContain('grows.txt');
    expect(tree).toContain('src/new.ts');
  });

  it('adds an untracked executable or symlink afresh each time: under core.fileMode=false or core.symlinks=false a kept entry would keep its old mode', async () => {
    const repo = fixture();
    repo.write('run.sh', '#!/bin/sh\n');
    repo.symlink('link', 'run.sh');
    await new Checkpoints(repo.root, SETTINGS).snapshot();
    chmodSync(repo.path('run.sh'), 0o755);
    await expectSameAsFresh(repo);
    repo.git('config', 'core.fileMode', 'false');
    repo.git('config', 'core.symlinks', 'false');
    repo.remove('link');
    repo.write('link', 'a plain file now\n');
    await expectSameAsFresh(repo);
    await expectSameAsFresh(repo);
    expect(repo.git('ls-tree', (await freshSnapshot(repo)).tree, 'run.sh', 'link')).toMatch(/^100644 blob \w+\tlink\n100644 blob \w+\trun.sh\n$/);
  });

  it('records no empty folder that git ignores where an untracked file an earlier snapshot took was deleted', async () => {
    const repo = fixture();
    repo.write('new/d.txt', 'taken by the first snapshot\n');
    await new Checkpoints(repo.root, SETTINGS).snapshot();
    repo.write('.gitignore', 'ignored/\n*.log\nnew/\n');
    repo.remove('new/d.txt');
    await expectSameAsFresh(repo);
    expect((await freshSnapshot(repo)).emptyDirs).toEqual([]);
  });

  it('follows the user index: staged, unstaged, committed, intent-to-add and mode-only changes', async () => {
    const repo = fixture();
    repo.write('a.txt', 'one\n');
    await expectSameAsFresh(repo);
    repo.git('add', 'a.txt');
    await expectSameAsFresh(repo);
    repo.git('commit', '-q', '-m', 'a');
    repo.git('rm', '-q', '--cached', 'src/app.ts');
    await expectSameAsFresh(repo);
    repo.write('b.txt', 'two\n');
    repo.git('add', '-N', 'b.txt');
    await expectSameAsFresh(repo);
    repo.git('config', 'core.fileMode', 'false');
    repo.git('update-index', '--chmod=+x', 'README.md');
    await expectSameAsFresh(repo);
  });

  it('skips long runs of unchanged entries and still sees each change between them', async () => {
    const repo = fixture();
    for (let d = 0; d < 6; d++) for (let f = 0; f < 120; f++) repo.write(`many/d${d}/f${f}.txt`, `${d}/${f}\n`);
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'many files');
    await expectSameAsFresh(repo);
    repo.write('many/d0/f7.txt', 'edited\n');
    repo.write('many/d2/f100.txt', 'edited\n');
    repo.write('many/d3/new.txt', 'untracked\n');
    repo.remove('many/d4/f50.txt');
    chmodSync(repo.path('many/d5/f119.txt'), 0o755);
    await expectSameAsFresh(repo);
    repo.git('rm', '-q', '--cached', 'many/d1/f60.txt');
    repo.write('many/d4/f50.txt', 'back\n');
    repo.git('add', 'many/d3/new.txt');
    await expectSameAsFresh(repo);
    repo.write('.gitignore', 'ignored/\n*.log\nmany/d1/f60.txt\n');
    repo.git('commit', '-q', '-am', 'more');
    await expectSameAsFresh(repo);
  });

  it('keeps the commit the user index names for a submodule that is not checked out', async () => {
    const repo = fixture();
    const head = repo.git('rev-parse', 'HEAD').trim();
    repo.mkdir('lib');
    repo.git('update-index', '--add', '--cacheinfo', `160000,${head},lib`);
    await expectSameAsFresh(repo);
    repo.git('update-index', '--cacheinfo', `160000,${'1'.repeat(40)},lib`);
    await expectSameAsFresh(repo);
    expect(repo.git('ls-tree', (await new Checkpoints(repo.root, SETTINGS).snapshot()).tree, 'lib')).toContain('1'.repeat(40));
  });

  it('starts from a copy when the user index is sparse, split or in conflict, and recovers afterwards', async () => {
    const repo = fixture();
    repo.write('src/app.ts', 'edited\n');
    await expectSameAsFresh(repo);
    repo.git('update-index', '--skip-worktree', 'README.md');
    repo.write('README.md', 'local override\n');
    await expectSameAsFresh(repo);
    repo.git('update-index', '--no-skip-worktree', 'README.md');
    await expectSameAsFresh(repo);
    repo.git('update-index', '--split-index');
    repo.write('split.txt', 'while split\n');
    await expectSameAsFresh(repo);
    repo.git('update-index', '--no-split-index');
    await expectSameAsFresh(repo);
    repo.git('checkout', '-q', '-b', 'other');
    repo.write('README.md', 'theirs\n');
    repo.git('commit', '-q', '-am', 'theirs');
    repo.git('checkout', '-q', 'main');
    repo.write('README.md', 'ours\n');
    repo.git('commit', '-q', '-am', 'ours');
    expect(() => repo.git('merge', '-q', 'other')).toThrow();
    await expectSameAsFresh(repo);
  });

  it('is claimed by one operation at a time, and scratch folders of dead processes are removed', async () => {
    const repo = fixture();
    repo.write('a.txt', 'one\n');
    const store = new Checkpoints(repo.root, SETTINGS);
    await store.create();
    const dead = repo.path('.git/choiros/scratch-999999999-abc');
    mkdirSync(dead, { recursive: true });
    rmSync(cacheOf(repo));
    const [one, two] = await Promise.all([store.create(), store.create()]);
    expect(one.tree).toBe(two.tree);
    expect(existsSync(dead)).toBe(false);
    // The kept index and its note (written by the second, which took the first's index), nothing else.
    expect(readdirSync(repo.path('.git/choiros')).sort()).toEqual(['index', 'index.note']);
  });

  it('sweeps the scratch folder of a process killed before it claimed the kept index, though the claim then succeeds', async () => {
    const repo = fixture();
    repo.write('a.txt', 'one\n');
    const store = new Checkpoints(repo.root, SETTINGS);
    await store.create();
    const dead = repo.path('.git/choiros/scratch-999999999-xyz');
    mkdirSync(dead, { recursive: true });
    expect(existsSync(cacheOf(repo))).toBe(true);
    await store.create();
    expect(readdirSync(repo.path('.git/choiros')).sort()).toEqual(['index', 'index.note']);
  });

  it('waits for git still moving files for a process that was killed (kill -9 mid-rollback) before it snapshots', async () => {
    const repo = fixture();
    const store = new Checkpoints(repo.root, SETTINGS);
    await store.create();
    // The scratch folder of a process that is gone, whose git still holds the index lock.
    const orphan = repo.path('.git/choiros/scratch-999999999-orphan');
    mkdirSync(orphan, { recursive: true });
    writeFileSync(join(orphan, 'index.lock'), '');
    const finishing = new Promise<void>((resolve) =>
      setTimeout(() => {
        writeFileSync(repo.path('moved.txt'), 'the last file the orphaned move writes\n');
        rmSync(join(orphan, 'index.lock'), { force: true });
        resolve();
      }, 300),
    );
    const snapshot = await store.snapshot();
    await finishing;
    expect(repo.git('ls-tree', '-r', '--name-only', snapshot.tree).split('\n')).toContain('moved.txt');
    expect(existsSync(orphan)).toBe(false);
  });

  it('is not trusted when damaged on disk: a changed object id is never taken for a file’s content', async () => {
    const { repo, store } = await twoFilesTrustedByStat(1);
    // A power cut after an unflushed write: a.txt's entry now names b.txt's blob, stats intact.
    damageKeptIndex(repo);

    const { name } = await store.create();

    expect(repo.git('show', `${name}:a.txt`)).toBe('the real content\n');
  });

  it('is not kept after a snapshot that stored a file as it is, so the next one stores it as it is again', async () => {
    const repo = fixture();
    repo.git('config', 'core.autocrlf', 'input');
    repo.write('README.md', 'saved\r\nwith CRLF\r\n');
    // Older than any index written next: git trusts its stat (no "racy" re-read) from then on.
    utimesSync(repo.path('README.md'), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const store = new Checkpoints(repo.root, SETTINGS);
    const first = await store.create();
    const second = await store.create();
    for (const { name } of [first, second]) expect(Buffer.from(repo.git('cat-file', 'blob', `${name}:README.md`))).toEqual(Buffer.from('saved\r\nwith CRLF\r\n'));
  });

  it('is not put back after an operation that failed with it, so a bad one cannot fail every checkpoint', async () => {
    const repo = fixture();
    repo.write('a.txt', 'the real content\n');
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'a file');
    utimesSync(repo.path('a.txt'), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const store = new Checkpoints(repo.root, SETTINGS);
    await store.create();
    // An entry naming an object that does not exist, in a file whose checksum is right.
    const cache = readFileSync(cacheOf(repo));
    const at = cache.indexOf(Buffer.from('a.txt\0')) - 2 - 20;
    cache.fill(0x11, at, at + 20);
    const body = cache.subarray(0, cache.length - 20);
    writeFileSync(cacheOf(repo), Buffer.concat([body, createHash('sha1').update(body).digest()]));

    await store.create().catch(() => undefined);
    const { name } = await store.create();

    expect(repo.git('show', `${name}:a.txt`)).toBe('the real content\n');
  });
});

interface NoteOnDisk {
  user: { ino: string };
  cache: { ino: string; trailer: string };
  records: Array<{ path: string }>;
  extra: string[];
}
const readNote = (repo: TempRepo) => JSON.parse(readFileSync(noteOf(repo), 'utf8')) as NoteOnDisk;

describe('the note left beside the kept index', () => {
  it('names the untracked files the kept index holds and the tracked files deleted from the work tree, for the very files it was written for', async () => {
    const repo = fixture();
    repo.write('new.txt', 'untracked\n');
    repo.remove('src/app.ts');
    const store = new Checkpoints(repo.root, SETTINGS);
    await store.snapshot();
    // The first snapshot starts from a copy of the user index: it compared nothing, so it vouches for nothing.
    expect(existsSync(noteOf(repo))).toBe(false);
    await store.snapshot();
    const note = readNote(repo);
    expect(note.extra).toEqual(['new.txt']);
    expect(note.records.map((r) => r.path)).toEqual(['src/app.ts']);
    expect(note.user.ino).toBe(String(lstatSync(repo.path('.git/index')).ino));
    expect(note.cache.ino).toBe(String(lstatSync(cacheOf(repo)).ino));
    expect(note.cache.trailer).toBe(readFileSync(cacheOf(repo)).subarray(-20).toString('hex'));
  });

  it('puts back the user’s entry of a deleted file, so the file is taken again when it comes back', async () => {
    const repo = fixture();
    const store = new Checkpoints(repo.root, SETTINGS);
    await store.snapshot();
    await store.snapshot();
    repo.remove('src/app.ts');
    // Taken with the note; the user's entry for the deleted file goes into the next one.
    await expectSameAsFresh(repo);
    expect(readNote(repo).records.map((r) => r.path)).toEqual(['src/app.ts']);
    repo.write('src/app.ts', 'back, and different\n');
    await expectSameAsFresh(repo);
    expect(repo.git('show', `${(await store.snapshot()).tree}:src/app.ts`)).toBe('back, and different\n');
  });

  it('is not trusted for a kept index changed since: a damaged object id is never taken for a file’s content', async () => {
    const { repo, store } = await twoFilesTrustedByStat(2);
    expect(existsSync(noteOf(repo))).toBe(true);
    damageKeptIndex(repo);

    const { name } = await store.create();

    expect(repo.git('show', `${name}:a.txt`)).toBe('the real content\n');
  });

  it('vouches for which file the kept index is, not for its bytes: damage under an unchanged stat is found by the checksum', async () => {
    const { repo, store } = await twoFilesTrustedByStat(2);
    expect(existsSync(noteOf(repo))).toBe(true);
    // A sector gone bad: a.txt's entry names b.txt's blob, and the file's stat and last bytes are as they were.
    const { mtimeNs, ino } = statSync(cacheOf(repo), { bigint: true });
    damageKeptIndex(repo);
    execFileSync('touch', ['-m', '-d', `@${mtimeNs / 1_000_000_000n}.${String(mtimeNs % 1_000_000_000n).padStart(9, '0')}`, cacheOf(repo)]);
    expect(statSync(cacheOf(repo), { bigint: true })).toMatchObject({ mtimeNs, ino });

    const { name } = await store.create();

    expect(repo.git('show', `${name}:a.txt`)).toBe('the real content\n');
  });

  it('is not trusted for a user index changed since: a file staged in between is taken', async () => {
    const repo = fixture();
    repo.write('src/app.ts', 'edited\n');
    const store = new Checkpoints(repo.root, SETTINGS);
    await store.snapshot();
    await store.snapshot();
    expect(existsSync(noteOf(repo))).toBe(true);
    repo.write('ignored/forced.txt', 'added with -f\n');
    repo.git('add', '-f', 'ignored/forced.txt');
    await expectSameAsFresh(repo);
    expect(repo.git('ls-tree', '-r', '--name-only', (await store.snapshot()).tree)).toContain('ignored/forced.txt');
  });

  it('records a file whose mode git saw change as core.fileMode says now, when the config changed since the note', async () => {
    const repo = fixture();
    chmodSync(repo.path('src/app.ts'), 0o755);
    const store = new Checkpoints(repo.root, SETTINGS);
    await store.snapshot();
    await store.snapshot();
    expect(existsSync(noteOf(repo))).toBe(true);
    expect(repo.git('ls-tree', (await store.snapshot()).tree, 'src/app.ts')).toMatch(/^100755 /);
    // The user index (mode 644) and the file are as they were; only the config changed.
    repo.git('config', 'core.fileMode', 'false');
    await expectSameAsFresh(repo);
    expect(repo.git('ls-tree', (await store.snapshot()).tree, 'src/app.ts')).toMatch(/^100644 /);
  });

  it('takes an untracked file back after the entry the note put back displaced it (a folder and a file of the same name)', async () => {
    const folderToFile = fixture();
    folderToFile.write('d/a', 'tracked in a folder\n');
    folderToFile.git('add', '-A');
    folderToFile.git('commit', '-q', '-m', 'd/a');
    rmSync(folderToFile.path('d'), { recursive: true });
    folderToFile.write('d', 'now a file\n');
    const fileToFolder = fixture();
    fileToFolder.remove('src/app.ts');
    fileToFolder.write('src/app.ts/inside.ts', 'now a folder\n');
    for (const repo of [folderToFile, fileToFolder]) for (let i = 0; i < 4; i++) await expectSameAsFresh(repo);
    expect(folderToFile.git('ls-tree', '-r', '--name-only', (await new Checkpoints(folderToFile.root, SETTINGS).snapshot()).tree)).toContain('d');
  });

  it('derives a file’s mode from the user’s entry, as a fresh snapshot does, whatever core.fileMode and core.symlinks say', async () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const global = join(fixture().root, 'global.gitconfig');
    writeFileSync(global, '');
    const before = process.env.GIT_CONFIG_GLOBAL;
    process.env.GIT_CONFIG_GLOBAL = global;
    try {
      // core.fileMode=false: a 755 script becomes a symlink, then a file again.
      const script = fixture();
      script.git('config', 'core.fileMode', 'false');
      script.write('run.sh', '#!/bin/sh\n');
      script.git('add', 'run.sh');
      script.git('update-index', '--chmod=+x', 'run.sh');
      script.git('commit', '-q', '-m', 'a script');
      // core.symlinks=false (in the user's global config, set later): a tracked symlink became a file.
      const link = fixture();
      symlinkSync('README.md', link.path('f'));
      link.git('add', 'f');
      link.git('commit', '-q', '-m', 'a symlink');
      await sleep(1100);
      script.remove('run.sh');
      symlinkSync('README.md', script.path('run.sh'));
      link.remove('f');
      link.write('f', 'README.md');
      for (const repo of [script, link]) for (let i = 0; i < 3; i++) await expectSameAsFresh(repo);
      expect(existsSync(noteOf(script)) && existsSync(noteOf(link))).toBe(true);
      script.remove('run.sh');
      script.write('run.sh', '#!/bin/sh\necho again\n');
      writeFileSync(global, '[core]\n\tsymlinks = false\n');
      for (const repo of [script, link]) await expectSameAsFresh(repo);
      expect(script.git('ls-tree', (await new Checkpoints(script.root, SETTINGS).snapshot()).tree, 'run.sh')).toMatch(/^100755 /);
      expect(link.git('ls-tree', (await new Checkpoints(link.root, SETTINGS).snapshot()).tree, 'f')).toMatch(/^120000 /);
    } finally {
      if (before === undefined) delete process.env.GIT_CONFIG_GLOBAL;
      else process.env.GIT_CONFIG_GLOBAL = before;
    }
  });

  it('sees every edit under core.ignoreStat, which would have git stop looking at the files it records', async () => {
    const repo = fixture();
    repo.git('config', 'core.ignoreStat', 'true');
    repo.write('src/app.ts', 'one\n');
    for (let i = 0; i < 3; i++) await expectSameAsFresh(repo);
    repo.write('src/app.ts', 'two, and longer\n');
    await expectSameAsFresh(repo);
    expect(repo.git('show', `${(await new Checkpoints(repo.root, SETTINGS).snapshot()).tree}:src/app.ts`)).toBe('two, and longer\n');
  });

  it('is not written when git prints a name it cannot be read back from, and a file of that name comes back', async () => {
    const repo = fixture();
    const odd = "q'\nremove 'README.md";
    repo.write(odd, 'odd\n');
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'an odd name');
    repo.remove(odd);
    for (let i = 0; i < 3; i++) await expectSameAsFresh(repo);
    repo.write(odd, 'back\n');
    await expectSameAsFresh(repo);
  });

  it('starts over from a copy when git fails on a kept index the note vouched for, damaged under an unchanged stat', async () => {
    const repo = fixture();
    repo.remove('src/app.ts');
    const store = new Checkpoints(repo.root, SETTINGS);
    await store.snapshot();
    await store.snapshot();
    // With a record to put back, git reads the kept index before `add -u`: its header is gone bad.
    expect(readNote(repo).records).toHaveLength(1);
    const { mtimeNs } = statSync(cacheOf(repo), { bigint: true });
    const cache = readFileSync(cacheOf(repo));
    cache.write('DIRX', 0, 'latin1');
    writeFileSync(cacheOf(repo), cache);
    execFileSync('touch', ['-m', '-d', `@${mtimeNs / 1_000_000_000n}.${String(mtimeNs % 1_000_000_000n).padStart(9, '0')}`, cacheOf(repo)]);

    await expectSameAsFresh(repo);
  });

  it('reports a user index git cannot read as git’s error, while the listing it started fails too', async () => {
    const repo = fixture();
    const store = new Checkpoints(repo.root, SETTINGS);
    await store.snapshot();
    await store.snapshot();
    rmSync(noteOf(repo));
    const index = readFileSync(repo.path('.git/index'));
    writeFileSync(repo.path('.git/index'), Buffer.concat([index.subarray(0, 12), Buffer.alloc(5, 0xff)]));

    await expect(store.snapshot()).rejects.toThrow(/git failed/);
  });

  it('is not written when the user index has flags, a conflict or a submodule the kept index must follow entry by entry', async () => {
    const cases: Array<(repo: TempRepo) => void> = [
      (repo) => repo.git('update-index', '--assume-unchanged', 'README.md'),
      (repo) => repo.git('update-index', '--add', '--cacheinfo', `160000,${repo.git('rev-parse', 'HEAD').trim()},lib`),
      (repo) => {
        repo.write('later.txt', 'intent\n');
        repo.git('add', '-N', 'later.txt');
      },
    ];
    for (const change of cases) {
      const repo = fixture();
      change(repo);
      await expectSameAsFresh(repo);
      await expectSameAsFresh(repo);
      expect(existsSync(noteOf(repo))).toBe(false);
    }
  });

  it('is not written after a rollback: the move rewrote the kept index since the snapshot', async () => {
    const repo = fixture();
    const store = new Checkpoints(repo.root, SETTINGS);
    const { name } = await store.create();
    await store.create();
    expect(existsSync(noteOf(repo))).toBe(true);
    repo.write('src/app.ts', 'to be rolled back\n');
    await store.rollback({ target: name });
    expect(existsSync(noteOf(repo))).toBe(false);
    await expectSameAsFresh(repo);
  });
});

/** Paths the property plays with: `p` is a file in one state and a folder in another. */
const FILES = ['a.txt', 'dir/b.txt', 'dir/sub/c.txt', 'new/d.txt', 'debug.log', 'ignored/e.txt', 'p', 'p/q.txt', 'src/app.ts', 'README.md'];

type Op =
  | { op: 'write'; path: string; size: number }
  | { op: 'delete'; path: string }
  | { op: 'chmod'; path: string; executable: boolean }
  | { op: 'symlink'; path: string }
  | { op: 'mkdir'; path: string }
  | { op: 'git'; args: readonly string[] }
  | { op: 'ignore'; pattern: string | undefined }
  | { op: 'nested-ignore'; pattern: string | undefined }
  | { op: 'snapshot' }
  | { op: 'checkpoint' }
  | { op: 'rollback'; undo: boolean };

const file = fc.constantFrom(...FILES);
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('write' as const), path: file, size: fc.constantFrom(3, 20, 100) }) },
  fc.record({ op: fc.constant('delete' as const), path: file }),
  fc.record({ op: fc.constant('chmod' as const), path: file, executable: fc.boolean() }),
  fc.record({ op: fc.constant('symlink' as const), path: file }),
  fc.record({ op: fc.constant('mkdir' as const), path: fc.constantFrom('empty', 'new/empty', 'p') }),
  {
    weight: 3,
    arbitrary: fc.oneof(
      file.map((path) => ({ op: 'git' as const, args: ['add', '-f', '--', path] })),
      file.map((path) => ({ op: 'git' as const, args: ['add', '-N', '--', path] })),
      file.map((path) => ({ op: 'git' as const, args: ['rm', '-q', '--cached', '-r', '--', path] })),
      file.map((path) => ({ op: 'git' as const, args: ['update-index', '--assume-unchanged', '--', path] })),
      file.map((path) => ({ op: 'git' as const, args: ['update-index', '--chmod=+x', '--', path] })),
      fc.constant({ op: 'git' as const, args: ['commit', '-q', '-m', 'work'] }),
      fc.constant({ op: 'git' as const, args: ['add', '-A'] }),
      fc.constant({ op: 'git' as const, args: ['config', 'core.fileMode', 'false'] }),
    ),
  },
  fc.record({ op: fc.constant('ignore' as const), pattern: fc.option(fc.constantFrom('a.txt', 'dir/', 'new/', 'p'), { nil: undefined }) }),
  fc.record({ op: fc.constant('nested-ignore' as const), pattern: fc.option(fc.constantFrom('b.txt', 'sub/', '*.txt'), { nil: undefined }) }),
  { weight: 3, arbitrary: fc.constant({ op: 'snapshot' as const }) },
  fc.constant({ op: 'checkpoint' as const }),
  { weight: 2, arbitrary: fc.record({ op: fc.constant('rollback' as const), undo: fc.boolean() }) },
);

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Makes room for a new entry at `relative`: whatever stands at it or at a parent goes. */
function clear(repo: TempRepo, relative: string): void {
  const parts = relative.split('/');
  for (let i = 1; i < parts.length; i++) {
    const parent = repo.path(parts.slice(0, i).join('/'));
    if (exists(parent) && !lstatSync(parent).isDirectory()) rmSync(parent);
  }
  if (exists(repo.path(relative))) rmSync(repo.path(relative), { recursive: true, force: true });
  mkdirSync(dirname(repo.path(relative)), { recursive: true });
}

async function apply(repo: TempRepo, op: Op): Promise<void> {
  switch (op.op) {
    case 'write':
      clear(repo, op.path);
      repo.write(op.path, `${op.path} `.repeat(op.size).slice(0, op.size));
      return;
    case 'delete':
      if (exists(repo.path(op.path))) rmSync(repo.path(op.path), { recursive: true, force: true });
      return;
    case 'chmod':
      if (exists(repo.path(op.path)) && lstatSync(repo.path(op.path)).isFile()) chmodSync(repo.path(op.path), op.executable ? 0o755 : 0o644);
      return;
    case 'symlink':
      clear(repo, op.path);
      symlinkSync('a.txt', join(repo.path(op.path)));
      return;
    case 'mkdir':
      if (!exists(repo.path(op.path)) || !lstatSync(repo.path(op.path)).isDirectory()) clear(repo, op.path);
      mkdirSync(repo.path(op.path), { recursive: true });
      return;
    case 'git':
      // Many of these fail in some states (nothing to commit, a path git does not know): fine.
      try {
        repo.git(...op.args);
      } catch {
        // The state is what it is; the snapshots must still agree.
      }
      return;
    case 'ignore':
      repo.write('.gitignore', `ignored/\n*.log\n${op.pattern === undefined ? '' : `${op.pattern}\n`}`);
      return;
    case 'nested-ignore':
      if (op.pattern === undefined) {
        if (exists(repo.path('dir/.gitignore'))) rmSync(repo.path('dir/.gitignore'), { recursive: true, force: true });
      } else {
        clear(repo, 'dir/.gitignore');
        repo.write('dir/.gitignore', `${op.pattern}\n`);
      }
      return;
    case 'snapshot':
      await expectSameAsFresh(repo);
      return;
    case 'checkpoint':
      await new Checkpoints(repo.root, SETTINGS).create();
      return;
    case 'rollback':
      await rollBack(repo, op.undo);
      return;
  }
}

/**
 * Back to the newest checkpoint — moving files, and the kept index with them — and, with `undo`,
 * straight back: byte for byte, untracked files included. A rollback refused (no checkpoint yet,
 * a path in the way) changes nothing.
 */
async function rollBack(repo: TempRepo, undo: boolean): Promise<void> {
  const store = new Checkpoints(repo.root, SETTINGS);
  const before = repo.state();
  let moved: boolean;
  try {
    moved = (await store.rollback()).applied;
  } catch (error) {
    // Refused (git failing is not a refusal).
    if (!(error instanceof AbortError) || error instanceof ExternalError) throw error;
    expect(repo.state()).toEqual(before);
    return;
  }
  if (!undo || !moved) return;
  await store.undo();
  expect(repo.state()).toEqual(before);
}

describe('the private index kept between snapshots (property)', () => {
  it('gives the same snapshot as a fresh copy of the user index, whatever happens in between (rollbacks and their undo included)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArbitrary, { minLength: 4, maxLength: 16 }), async (ops) => {
        const repo = fixture();
        await new Checkpoints(repo.root, SETTINGS).snapshot();
        for (const op of ops) await apply(repo, op);
        await expectSameAsFresh(repo);
      }),
      // A harder run: PROP_RUNS=150 PROP_SEED=7 npx vitest run test/integration/git-stat-cache.test.ts
      { numRuns: Number(process.env.PROP_RUNS ?? 25), seed: Number(process.env.PROP_SEED ?? 20261122), endOnFailure: true },
    );
  }, 240_000);
});
