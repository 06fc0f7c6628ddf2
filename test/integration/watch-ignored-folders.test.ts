import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WATCH_IGNORES } from '../../src/cli/commands/watch.js';
import { IgnoredPaths } from '../../src/git/ignored.js';
import { ProjectFiles } from '../../src/watch/project-files.js';
import { waitFor } from '../helpers/wait.js';
import { repoFixture } from './git-fixture.js';

const newRepo = repoFixture();

const schedule = (callback: () => void, ms: number) => {
  const timer = setTimeout(callback, ms);
  return () => clearTimeout(timer);
};

let files: ProjectFiles | undefined;
const plain: string[] = [];
afterEach(async () => {
  await files?.close();
  files = undefined;
  for (const dir of plain.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Real chokidar on `root`, with every delivered path recorded. */
async function watchFiles(root: string): Promise<{ files: ProjectFiles; delivered: string[] }> {
  const delivered: string[] = [];
  const errors: unknown[] = [];
  files = await ProjectFiles.start({ root, ignore: WATCH_IGNORES, changed: (paths) => void delivered.push(...paths), error: (e) => void errors.push(e), schedule, batchMs: 50 });
  await files.ready;
  expect(errors).toEqual([]);
  return { files, delivered };
}

/**
 * Whether chokidar watches the folder: its parent lists it, or it lists something. (chokidar keeps
 * an empty entry for a folder it stopped watching.)
 */
function watches(pf: ProjectFiles, root: string, rel: string): boolean {
  const watched = pf.watched();
  const path = join(root, rel);
  return (watched[path] ?? []).length > 0 || (watched[dirname(path)] ?? []).includes(basename(path));
}

/** The inotify watches this process holds (Linux), counted from /proc: what max_user_watches limits. */
function inotifyWatches(): number | undefined {
  if (!existsSync('/proc/self/fdinfo')) return undefined;
  let count = 0;
  for (const fd of readdirSync('/proc/self/fdinfo')) {
    try {
      count += (readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8').match(/^inotify wd:/gm) ?? []).length;
    } catch {
      // The fd closed while we looked.
    }
  }
  return count;
}

/** A change outside the ignored folders, written after the one under test: once it arrives, the other would have too. */
async function settle(root: string, delivered: string[], name: string): Promise<void> {
  writeFileSync(join(root, 'src', name), 'x\n');
  await waitFor(() => delivered.includes(`src/${name}`), 10_000, `the change to src/${name}`);
}

describe('IgnoredPaths.folders', () => {
  it('lists the folders a pattern names, not those whose files merely all match, hold a tracked file, or the root itself', async () => {
    const repo = newRepo();
    repo.write('.gitignore', 'ignored/\n*.log\ntmp/\nbig\nkept/\n');
    repo.write('tmp/deep/a.txt', 'a\n');
    repo.write('sub/big/x/y.txt', 'y\n');
    repo.write('logs/a.log', 'all files ignored, the folder is not\n');
    repo.write('kept/tracked.txt', 'tracked\n');
    repo.git('add', '-f', 'kept/tracked.txt');
    repo.write('kept/other.txt', 'ignored\n');
    mkdirSync(repo.path('ignored'));

    expect((await (await IgnoredPaths.at(repo.root)).folders()).sort()).toEqual(['ignored', 'sub/big', 'tmp']);
    expect(await (await IgnoredPaths.at(repo.path('sub'))).folders()).toEqual(['big']);
    expect(await (await IgnoredPaths.at(repo.path('sub/big'))).folders()).toEqual([]);
  });
});

describe('ProjectFiles', () => {
  it('never watches inside a git-ignored folder, so changes there start nothing', async () => {
    const repo = newRepo();
    repo.write('.gitignore', 'ignored/\n*.log\ntmp/\nvendor/\n');
    for (let i = 0; i < 20; i++) repo.write(`vendor/pkg${i}/lib/index.js`, 'x\n');
    repo.write('tmp/deep/a.txt', 'a\n');
    repo.write('logs/a.log', 'log\n');
    const baseline = inotifyWatches();
    const { files: pf, delivered } = await watchFiles(repo.root);
    const held = inotifyWatches();
    // Inside vendor/ alone there are 60 folders and files; the rest of the project is a handful.
    if (baseline !== undefined && held !== undefined) expect(held - baseline).toBeLessThan(20);

    expect(pf.ignoredFolders()).toEqual(['tmp', 'vendor']);
    for (const rel of ['tmp', 'tmp/deep', 'vendor', 'vendor/pkg0', 'vendor/pkg0/lib']) expect(watches(pf, repo.root, rel), rel).toBe(false);
    expect(Object.keys(pf.watched()).filter((dir) => dir.startsWith(join(repo.root, 'vendor')) || dir.startsWith(join(repo.root, 'tmp')))).toEqual([]);
    // A folder whose files all happen to be ignored is still watched: a new file there counts.
    expect(watches(pf, repo.root, 'logs')).toBe(true);
    expect(watches(pf, repo.root, 'src')).toBe(true);

    repo.write('tmp/deep/a.txt', 'changed\n');
    repo.write('tmp/deep/new/b.txt', 'new\n');
    repo.write('vendor/pkg1/lib/index.js', 'changed\n');
    repo.write('logs/readme.md', 'counts\n');
    await settle(repo.root, delivered, 'one.ts');
    expect(delivered.filter((p) => p.startsWith('tmp') || p.startsWith('vendor'))).toEqual([]);
    expect(delivered).toContain('logs/readme.md');
  });

  it('stops watching a new git-ignored folder once it appears, and then ignores changes in it', async () => {
    const repo = newRepo();
    repo.write('.gitignore', 'ignored/\n*.log\ncache/\n');
    const { files: pf, delivered } = await watchFiles(repo.root);
    expect(pf.ignoredFolders()).toEqual([]);

    repo.write('cache/a/one.bin', '1\n');
    await waitFor(() => pf.ignoredFolders().includes('cache'), 10_000, 'cache/ to be known as ignored');
    await waitFor(() => !watches(pf, repo.root, 'cache'), 10_000, 'cache/ to be unwatched');
    repo.write('cache/a/two.bin', '2\n');
    repo.write('cache/b/three.bin', '3\n');
    await settle(repo.root, delivered, 'two.ts');
    expect(delivered.filter((p) => p.startsWith('cache'))).toEqual([]);
  });

  it('watches a folder again when .gitignore stops ignoring it, and stops when it ignores one again', async () => {
    const repo = newRepo();
    repo.write('.gitignore', 'ignored/\n*.log\ntmp/\n');
    repo.write('tmp/deep/a.txt', 'a\n');
    const { files: pf, delivered } = await watchFiles(repo.root);
    expect(watches(pf, repo.root, 'tmp')).toBe(false);

    repo.write('.gitignore', 'ignored/\n*.log\n');
    await waitFor(() => watches(pf, repo.root, 'tmp/deep'), 10_000, 'tmp/deep to be watched');
    expect(delivered).toContain('.gitignore');
    repo.write('tmp/deep/a.txt', 'changed\n');
    await waitFor(() => delivered.includes('tmp/deep/a.txt'), 10_000, 'the change in the folder no longer ignored');

    repo.write('.gitignore', 'ignored/\n*.log\ntmp/\n');
    await waitFor(() => pf.ignoredFolders().includes('tmp'), 10_000, 'tmp/ to be ignored again');
    const before = delivered.length;
    repo.write('tmp/deep/a.txt', 'again\n');
    await settle(repo.root, delivered, 'three.ts');
    expect(delivered.slice(before).filter((p) => p.startsWith('tmp'))).toEqual([]);

    repo.write('.gitignore', 'ignored/\n*.log\n');
    await waitFor(() => pf.ignoredFolders().length === 0, 10_000, 'tmp/ to be watched once more');
    await waitFor(() => watches(pf, repo.root, 'tmp/deep'), 10_000, 'tmp/deep to be watched once more');
    repo.write('tmp/deep/a.txt', 'last\n');
    await waitFor(() => delivered.slice(before).includes('tmp/deep/a.txt'), 10_000, 'the change once more');
  });

  it('outside a git repository watches every folder but the ignored names, whatever a .gitignore says', async () => {
    const root = mkdtempSync(join(tmpdir(), 'choiros-plain-'));
    plain.push(root);
    writeFileSync(join(root, '.gitignore'), 'tmp/\n');
    mkdirSync(join(root, 'tmp/deep'), { recursive: true });
    mkdirSync(join(root, 'node_modules/x'), { recursive: true });
    mkdirSync(join(root, 'src'));
    const { files: pf, delivered } = await watchFiles(root);
    expect(pf.ignoredFolders()).toEqual([]);
    expect(watches(pf, root, 'tmp/deep')).toBe(true);
    expect(watches(pf, root, 'node_modules')).toBe(false);
    writeFileSync(join(root, 'tmp/deep/a.txt'), 'a\n');
    await waitFor(() => delivered.includes('tmp/deep/a.txt'), 10_000, 'the change in tmp/');
  });
});
