import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Checkpoints, DEFAULT_SETTINGS, type CheckpointSettings } from '../../src/git/index.js';
import { gitSummary } from '../../src/git/summary.js';
import { repoFixture, type TempRepo } from './git-fixture.js';

const fixture = repoFixture();

function store(repo: TempRepo, settings: Partial<CheckpointSettings> = {}): Checkpoints {
  return new Checkpoints(repo.root, { ...DEFAULT_SETTINGS, ...settings });
}

/** Paths and modes of a commit's tree, as git sees them. */
function treeOf(repo: TempRepo, commit: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const record of repo.git('ls-tree', '-r', '-z', commit).split('\0')) {
    if (record === '') continue;
    const [meta = '', path = ''] = record.split('\t');
    const [mode = '', , oid = ''] = meta.split(' ');
    // A submodule's commit lives in the submodule's repository, not in this one.
    out.set(path, mode === '160000' ? `${mode} ${oid}` : `${mode} ${repo.git('cat-file', '-p', oid)}`);
  }
  return out;
}

describe('taking a checkpoint', () => {
  it('leaves the index byte-identical and HEAD, branches and files as they were', async () => {
    const repo = fixture();
    repo.write('src/app.ts', 'export const answer = 43;\n');
    repo.git('add', 'src/app.ts');
    repo.write('src/app.ts', 'export const answer = 44;\n');
    repo.write('notes.txt', 'untracked\n');
    const index = repo.index();
    const refs = repo.refs('refs/heads');
    const head = repo.git('rev-parse', 'HEAD');
    const before = repo.state();

    const created = await store(repo).create({ message: 'first' });

    expect(repo.index().equals(index)).toBe(true);
    expect(repo.refs('refs/heads')).toBe(refs);
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(repo.state()).toEqual(before);
    expect(repo.git('rev-parse', `${created.name}^{commit}`).trim()).toBe(created.commit);
    expect(repo.git('rev-parse', `${created.commit}^`)).toBe(head);
    expect(created.name).toMatch(/^checkpoint-\d{8}-\d{6}$/);
  });

  it('records the work tree: modified, staged-then-edited, deleted and untracked files, but not ignored ones', async () => {
    const repo = fixture();
    repo.write('src/app.ts', 'staged\n');
    repo.git('add', 'src/app.ts');
    repo.write('src/app.ts', 'on disk\n');
    repo.remove('README.md');
    repo.write('new dir/deep/file.txt', 'new\n');
    repo.write('debug.log', 'ignored by *.log\n');
    repo.write('ignored/secret.txt', 'ignored folder\n');

    const created = await store(repo).create();
    const tree = treeOf(repo, created.commit);

    expect(tree.get('src/app.ts')).toBe('100644 on disk\n');
    expect(tree.has('README.md')).toBe(false);
    expect(tree.get('new dir/deep/file.txt')).toBe('100644 new\n');
    expect(tree.has('debug.log')).toBe(false);
    expect(tree.has('ignored/secret.txt')).toBe(false);
    expect(created.skipped).toEqual([]);
  });

  it('keeps names with spaces, unicode and newlines, symlinks and the executable bit', async () => {
    const repo = fixture();
    repo.write('with space.txt', 'a\n');
    repo.write('ünïcödé/日本.txt', 'b\n');
    repo.write('new\nline.txt', 'c\n');
    repo.write('run.sh', '#!/bin/sh\necho hi\n', 0o755);
    repo.symlink('link-to-app', 'src/app.ts');

    const tree = treeOf(repo, (await store(repo).create()).commit);

    expect(tree.get('with space.txt')).toBe('100644 a\n');
    expect(tree.get('ünïcödé/日本.txt')).toBe('100644 b\n');
    expect(tree.get('new\nline.txt')).toBe('100644 c\n');
    expect(tree.get('run.sh')?.startsWith('100755 ')).toBe(true);
    expect(tree.get('link-to-app')).toBe('120000 src/app.ts');
  });

  it('keeps names that are not UTF-8, and takes them back in a rollback', async () => {
    const repo = fixture();
    // "café.txt" in Latin-1: the byte 0xE9 alone is not UTF-8, and git prints it as it is.
    const latin1 = Buffer.concat([Buffer.from(`${repo.root}/caf`), Buffer.from([0xe9]), Buffer.from('.txt')]);
    writeFileSync(latin1, 'legacy\n');
    repo.write('plain.txt', 'plain\n');
    const created = await store(repo).create();
    const names = spawnSync('git', ['ls-tree', '-r', '-z', '--name-only', created.commit], { cwd: repo.root }).stdout;
    expect(names.includes(Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from('.txt\0')]))).toBe(true);
    expect(names.includes(Buffer.from('plain.txt\0'))).toBe(true);
    rmSync(latin1);
    await store(repo).rollback({ target: created.name });
    expect(readFileSync(latin1, 'utf8')).toBe('legacy\n');
  });

  it('skips and reports big untracked files and heavy folders, but captures tracked files inside them', async () => {
    const repo = fixture();
    repo.write('dist/bundle.js', 'v1\n');
    repo.git('add', '-f', 'dist/bundle.js');
    repo.git('commit', '-q', '-m', 'ship dist');
    repo.write('dist/bundle.js', 'v2\n');
    repo.write('dist/chunk.js', 'untracked in a tracked heavy folder\n');
    repo.write('node_modules/left-pad/index.js', 'module.exports = 1;\n');
    repo.write('packages/web/node_modules/x/index.js', 'x\n');
    repo.write('packages/web/src/main.ts', 'main\n');
    repo.write('scratch/tmp.txt', 'excluded by config\n');
    repo.write('big.bin', Buffer.alloc(2048, 1));
    repo.write('small.bin', Buffer.alloc(1024, 2));

    const created = await store(repo, { policy: { maxFileSize: 1024, exclude: ['scratch'] } }).create();
    const tree = treeOf(repo, created.commit);

    expect(created.skipped.map((s) => [s.path, s.reason])).toEqual([
      ['big.bin', 'too-big'],
      ['dist/', 'excluded'],
      ['node_modules/', 'excluded'],
      ['packages/web/node_modules/', 'excluded'],
      ['scratch/', 'excluded'],
    ]);
    expect(created.skipped[0]?.bytes).toBe(2048);
    expect(tree.get('dist/bundle.js')).toBe('100644 v2\n');
    expect(tree.has('dist/chunk.js')).toBe(false);
    expect(tree.has('small.bin')).toBe(true);
    expect(tree.get('packages/web/src/main.ts')).toBe('100644 main\n');
    expect([...tree.keys()].some((p) => p.includes('node_modules') || p.startsWith('scratch/'))).toBe(false);
  });

  it('applies the rules inside a folder that replaced a tracked file of the same name', async () => {
    const repo = fixture();
    repo.write('out', 'a tracked file\n');
    repo.git('add', 'out');
    repo.git('commit', '-q', '-m', 'out is a file');
    repo.remove('out');
    repo.write('out/ok.txt', 'fine\n');
    repo.write('out/big.bin', Buffer.alloc(2048, 3));
    repo.write('out/node_modules/x.js', 'dep\n');
    repo.mkdir('out/empty');

    const created = await store(repo, { policy: { maxFileSize: 1024, exclude: [] } }).create();
    const tree = treeOf(repo, created.commit);

    expect([...tree.keys()].filter((p) => p.startsWith('out'))).toEqual(['out/ok.txt']);
    expect(created.skipped.map((s) => [s.path, s.reason])).toEqual([
      ['out/big.bin', 'too-big'],
      ['out/node_modules/', 'excluded'],
    ]);
    expect(repo.git('cat-file', '-p', created.commit)).toContain('Choiros-Empty-Dir: "out/empty"');
  });

  it.each([false, true])('sees edits to files hidden by assume-unchanged and skip-worktree (split index: %s)', async (split) => {
    const repo = fixture();
    if (split) repo.git('update-index', '--split-index');
    repo.git('update-index', '--assume-unchanged', 'README.md');
    repo.git('update-index', '--skip-worktree', 'src/app.ts');
    repo.write('README.md', 'edited behind git\n');
    repo.write('src/app.ts', 'local override\n');
    const index = repo.index();
    const sharedIndexes = () => readdirSync(repo.path('.git')).filter((f) => f.startsWith('sharedindex.')).sort();
    const shared = sharedIndexes();

    const tree = treeOf(repo, (await store(repo).create()).commit);

    expect(tree.get('README.md')).toBe('100644 edited behind git\n');
    expect(tree.get('src/app.ts')).toBe('100644 local override\n');
    expect(repo.index().equals(index)).toBe(true);
    expect(sharedIndexes()).toEqual(shared);
  });

  it('works on an unborn branch: a root commit with everything untracked', async () => {
    const repo = fixture({ commit: false });
    repo.write('first.txt', 'hello\n');

    const created = await store(repo).create({ message: 'day one' });

    expect(repo.git('rev-list', '--count', created.commit).trim()).toBe('1');
    expect(treeOf(repo, created.commit).get('first.txt')).toBe('100644 hello\n');
    expect(repo.git('status', '--porcelain')).toBe('?? first.txt\n');
    const listed = await store(repo).list();
    expect(listed.checkpoints.map((c) => [c.name, c.filesChanged])).toEqual([[created.name, 1]]);
    // `choiros status` names the branch to come, not "detached".
    expect(await gitSummary(repo.root)).toMatchObject({ branch: 'main', lastCheckpoint: { name: created.name } });
  });

  it('reports submodules and embedded repositories instead of silently skipping them', async () => {
    const repo = fixture();
    const library = fixture();
    repo.gitWith({}, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', library.root, 'vendor/lib');
    repo.git('commit', '-q', '-m', 'add submodule');
    repo.write('vendor/lib/README.md', 'dirty inside the submodule\n');
    repo.git('init', '-q', 'tools/nested');
    repo.write('tools/nested/x.txt', 'inside an embedded repository\n');
    // `git add` of a folder holding a repository: a gitlink that .gitmodules does not declare.
    repo.gitWith({}, '-c', 'protocol.file.allow=always', 'clone', '-q', library.root, 'tools/added');
    repo.git('add', 'tools/added');
    repo.git('commit', '-q', '-m', 'add a repository without .gitmodules');

    const created = await store(repo).create();

    expect(created.submodules).toEqual(['tools/added', 'vendor/lib']);
    expect(created.skipped).toContainEqual({ path: 'tools/nested/', reason: 'embedded-repository' });
    expect(treeOf(repo, created.commit).has('tools/nested')).toBe(false);
  });

  it('gives checkpoints taken in the same second distinct names', async () => {
    const repo = fixture();
    const now = new Date(2026, 0, 30, 12, 0, 0);
    const names = [];
    for (let i = 0; i < 3; i++) names.push((await store(repo).create({ now })).name);

    expect(names).toEqual(['checkpoint-20260130-120000', 'checkpoint-20260130-120000-2', 'checkpoint-20260130-120000-3']);
    expect((await store(repo).list()).checkpoints.map((c) => c.name)).toEqual([...names].reverse());
  });

  it('serialises concurrent checkpoints: all succeed, with distinct names', async () => {
    const repo = fixture();
    repo.write('a.txt', 'a\n');
    const now = new Date(2026, 0, 30, 12);
    const created = await Promise.all([1, 2, 3].map(() => store(repo).create({ now })));
    expect(new Set(created.map((c) => c.name)).size).toBe(3);
  });

  it('takes over a lock left behind by a process that died', async () => {
    const repo = fixture();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    repo.write('.git/choiros.lock', JSON.stringify({ pid: Number(dead.stdout), doing: 'taking a checkpoint' }));

    await store(repo).create();

    expect(existsSync(repo.path('.git/choiros.lock'))).toBe(false);
  });

  it('lists newest first with message, verdict, run id and files changed against HEAD', async () => {
    const repo = fixture();
    repo.write('a.txt', 'a\n');
    const first = await store(repo).create({ message: 'one file', runId: 'run-7', now: new Date(2026, 0, 1) });
    repo.write('b.txt', 'b\n');
    const second = await store(repo).create({ message: 'two files', verdict: 'good', now: new Date(2026, 0, 2) });

    const { checkpoints } = await store(repo).list();

    expect(checkpoints.map((c) => [c.name, c.message, c.verdict, c.runId, c.filesChanged])).toEqual([
      [second.name, 'two files', 'good', undefined, 2],
      [first.name, 'one file', 'unverified', 'run-7', 1],
    ]);
  });

  it('marks a checkpoint good or bad by rewriting its annotation, keeping name, commit and date', async () => {
    const repo = fixture();
    const created = await store(repo).create({ message: 'try', runId: 'r1', now: new Date(2026, 0, 1, 8) });
    const before = (await store(repo).list()).checkpoints[0];

    const marked = await store(repo).mark(created.name, 'good');
    const after = (await store(repo).list()).checkpoints[0];

    expect(marked.verdict).toBe('good');
    expect(after).toMatchObject({ name: created.name, commit: created.commit, verdict: 'good', message: 'try', runId: 'r1' });
    expect(after?.date).toEqual(before?.date);
    expect(repo.git('cat-file', '-p', created.name)).toContain('Choiros-Verdict: good');
    await store(repo).mark(created.name, 'bad');
    expect((await store(repo).lastGood())).toBeUndefined();
    await expect(store(repo).mark('checkpoint-nope', 'good')).rejects.toThrow(/no checkpoint named/);
  });

  it('prunes the oldest unverified checkpoints beyond keep; never a good or a bad one, the newest, or a tag it did not write', async () => {
    const repo = fixture();
    // A checkpoint tag someone made by hand (as the old shell scripts did), on a 1999 commit.
    repo.gitWith({ env: { ...process.env, GIT_COMMITTER_DATE: '1999-01-01T00:00:00Z' } }, 'commit', '-q', '--allow-empty', '-m', 'old');
    repo.git('tag', 'checkpoint-19990101-000000');
    const day = (d: number) => new Date(2026, 0, d);
    const good = await store(repo).create({ verdict: 'good', now: day(1) });
    const old = await store(repo).create({ now: day(2) });
    const bad = await store(repo).create({ verdict: 'bad', now: day(3) });
    const middle = await store(repo).create({ now: day(4) });

    const newest = await store(repo, { keep: 2 }).create({ now: day(5) });

    expect(newest.pruned).toEqual([old.name]);
    const names = (await store(repo).list()).checkpoints.map((c) => c.name);
    expect(names).toEqual([newest.name, middle.name, bad.name, good.name, 'checkpoint-19990101-000000']);
    const again = await store(repo, { keep: 1 }).create({ verdict: 'good', now: day(6) });
    expect(again.pruned).toEqual([middle.name]);
    expect((await store(repo).list()).checkpoints.map((c) => c.name)).toEqual([again.name, newest.name, bad.name, good.name, 'checkpoint-19990101-000000']);
  });
});
