import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { layoutIndex, parseHiddenEntries, readHiddenEntries } from '../../src/git/index-file.js';
import { trackedSubmodules } from '../../src/git/submodules.js';
import { TempRepo } from './git-fixture.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.cleanup();
});

const LONG = `${'y'.repeat(200)}/${'z'.repeat(200)}/long.txt`;

function flagged(version: string): TempRepo {
  const repo = TempRepo.create();
  repos.push(repo);
  for (const name of ['a.txt', 'dir/b.txt', 'dir/sub/c.txt', 'dir/sub/cc.txt', 'ünï/ç.txt', LONG, 'new\nline']) repo.write(name, name);
  repo.git('add', '-A');
  repo.git('update-index', '--assume-unchanged', 'dir/sub/c.txt', 'ünï/ç.txt');
  repo.git('update-index', '--skip-worktree', 'dir/b.txt', LONG);
  repo.git('update-index', '--index-version', version);
  return repo;
}

describe('reading hidden entries from the index file', () => {
  it.each(['2', '3', '4'])('finds assume-unchanged and skip-worktree entries in a version %s index', (version) => {
    const repo = flagged(version);
    expect(readHiddenEntries(repo.path('.git/index'), 20)).toEqual({ assumeUnchanged: ['dir/sub/c.txt', 'ünï/ç.txt'], skipWorktree: ['dir/b.txt', LONG] });
  });

  it('finds nothing hidden in an ordinary index', () => {
    const repo = TempRepo.create();
    repos.push(repo);
    expect(readHiddenEntries(repo.path('.git/index'), 20)).toEqual({ assumeUnchanged: [], skipWorktree: [] });
  });

  it('declines a split index, whose entries live in another file', () => {
    const repo = flagged('2');
    repo.git('update-index', '--split-index');
    expect(readHiddenEntries(repo.path('.git/index'), 20)).toBeUndefined();
  });

  it('declines a truncated or foreign file rather than guess', () => {
    const repo = flagged('3');
    const bytes = readFileSync(repo.path('.git/index'));
    expect(parseHiddenEntries(bytes.subarray(0, 100), 20)).toBeUndefined();
    expect(parseHiddenEntries(Buffer.from('not an index at all'), 20)).toBeUndefined();
  });

  it('treats a missing index (a fresh repository) as hiding nothing', () => {
    const repo = TempRepo.create({ commit: false });
    repos.push(repo);
    expect(readHiddenEntries(repo.path('.git/index'), 20)).toEqual({ assumeUnchanged: [], skipWorktree: [] });
  });

  it.each(['2', '3', '4'])('finds the gitlinks of a version %s index, and knows an index without one at a glance', (version) => {
    const repo = flagged(version);
    expect(layoutIndex(readFileSync(repo.path('.git/index')), 20)?.anyGitlink).toBe(false);
    expect(trackedSubmodules(repo.root, repo.path('.git/index'), 20)).toEqual([]);
    // Gitlinks need no checked-out submodule: any commit id will do for the index.
    const commit = repo.git('rev-parse', 'HEAD').trim();
    repo.git('update-index', '--add', '--cacheinfo', `160000,${commit},vendor/z-lib`);
    repo.git('update-index', '--add', '--cacheinfo', `160000,${commit},dir/a lib`);
    repo.git('update-index', '--index-version', version);
    expect(layoutIndex(readFileSync(repo.path('.git/index')), 20)?.anyGitlink).toBe(true);
    expect(trackedSubmodules(repo.root, repo.path('.git/index'), 20)).toEqual(['dir/a lib', 'vendor/z-lib']);
  });
});
