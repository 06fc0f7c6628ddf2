import { describe, expect, it } from 'vitest';
import { describeSkipped, folderMatcher, formatBytes } from '../../../src/git/policy.js';
import { classifyUntracked, findEmptyDirs, type PathProbe } from '../../../src/git/untracked.js';

function probe(sizes: Record<string, number>, repositories: string[] = [], empty: Record<string, string[]> = {}): PathProbe {
  return {
    size: (path) => sizes[path],
    plainFile: () => true,
    isRepository: (folder) => repositories.includes(folder),
    emptyDirs: (folder) => empty[folder] ?? [],
    isEmptyDir: (folder) => Object.values(empty).some((dirs) => dirs.includes(folder)),
    isDirectory: (path) => `${path}/` in empty,
  };
}

const policy = { maxFileSize: 100, exclude: ['scratch', 'data/raw/'] };

describe('what a snapshot skips', () => {
  it('matches heavy folders at any depth, extra names anywhere and extra paths from the top', () => {
    const match = folderMatcher(policy);
    expect(match('node_modules/')).toBe('node_modules');
    expect(match('packages/web/node_modules/react/index.js')).toBe('packages/web/node_modules');
    expect(match('a/.venv/bin/python')).toBe('a/.venv');
    expect(match('x/scratch/y.txt')).toBe('x/scratch');
    expect(match('data/raw/1.csv')).toBe('data/raw');
    expect(match('other/data/raw/1.csv')).toBeUndefined();
    expect(match('.choiros/ledger.db')).toBe('.choiros');
  });

  it('never takes a file for a folder: a file named build is kept', () => {
    expect(folderMatcher(policy)('tools/build')).toBeUndefined();
    expect(folderMatcher(policy)('tools/build/')).toBe('tools/build');
  });

  it('skips big files and heavy folders, and asks to look into other new folders', () => {
    const result = classifyUntracked(['big.bin', 'small.txt', 'node_modules/', 'src/node_modules/x.js', 'newdir/', 'vendored/'], [], policy, probe({ 'big.bin': 101, 'small.txt': 100 }, ['vendored/']));
    expect(result.skipped).toEqual([
      { path: 'big.bin', reason: 'too-big', bytes: 101 },
      { path: 'node_modules/', reason: 'excluded' },
      { path: 'src/node_modules/', reason: 'excluded' },
      { path: 'vendored/', reason: 'embedded-repository' },
    ]);
    // A file in a heavy folder that also holds tracked files is excluded alone, never the folder.
    expect(result.exclusions).toEqual(['big.bin', 'node_modules/', 'src/node_modules/x.js', 'vendored/']);
    expect(result.expand).toEqual(['newdir/']);
  });

  it('excludes a heavy folder inside a wholly untracked folder as a whole, reporting it once', () => {
    const result = classifyUntracked(['newdir/a.txt', 'newdir/node_modules/x/1.js', 'newdir/node_modules/x/2.js'], ['newdir/'], policy, probe({}));
    expect(result.exclusions).toEqual(['newdir/node_modules/']);
    expect(result.skipped).toEqual([{ path: 'newdir/node_modules/', reason: 'excluded' }]);
  });

  it('describes each reason for people', () => {
    expect(describeSkipped({ path: 'x', reason: 'too-big', bytes: 12 * 1024 * 1024 }, { maxFileSize: 10 * 1024 * 1024 })).toBe('12 MiB > 10 MiB');
    expect(describeSkipped({ path: 'x/', reason: 'excluded' }, policy)).toBe('excluded folder');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
  });
});

describe('finding empty folders', () => {
  it('looks in the untracked folders that were expanded and above deleted tracked files, keeping leaves', () => {
    const disk = probe({}, [], { 'new/': ['new/empty', 'new/deep/er'], 'src/': ['src/emptied'], '?': ['old'], 'was-a-file/': ['was-a-file/e'] });
    const removed = ['src/emptied/a.ts', 'src/emptied/b.ts', 'old/gone/x.txt', 'node_modules/y/z.js', 'was-a-file'];
    const found = findEmptyDirs({ expanded: ['new/'] }, removed, policy, disk);
    expect(found).toEqual(['new/deep/er', 'new/empty', 'old', 'src/emptied', 'was-a-file/e']);
  });

  it('drops names that are not valid UTF-8 (they decode with U+FFFD)', () => {
    const disk = probe({}, [], { 'new/': ['new/\uFFFD'] });
    expect(findEmptyDirs({ expanded: ['new/'] }, [], policy, disk)).toEqual([]);
  });
});
