import { describe, expect, it } from 'vitest';
import { parseCounts, parseRawDiff } from '../../../src/git/diff.js';
import { lossyConversions } from '../../../src/git/raw-files.js';
import { refusedPaths } from '../../../src/git/rollback.js';
import { removedByAdd } from '../../../src/git/snapshot.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

describe('diff-tree output', () => {
  it('turns raw records into creates, deletes and modifications, flagging submodules', () => {
    const raw = [
      `:000000 100644 ${'0'.repeat(40)} ${A} A`, 'new file',
      `:100644 000000 ${A} ${'0'.repeat(40)} D`, 'gone\nwith newline',
      `:100644 120000 ${A} ${B} T`, 'now a link',
      `:160000 160000 ${A} ${B} M`, 'vendor/lib',
      '',
    ].join('\0');
    expect(parseRawDiff(raw)).toEqual([
      { kind: 'create', path: 'new file', submodule: false },
      { kind: 'delete', path: 'gone\nwith newline', submodule: false },
      { kind: 'modify', path: 'now a link', submodule: false },
      { kind: 'modify', path: 'vendor/lib', submodule: true },
    ]);
  });

  it('counts paths per tree pair in one --stdin run, empty pairs included', () => {
    const out = `${A} ${B}\nx\0y\0${A} ${A}\n${A} ${C}\nz\0`;
    expect(parseCounts(out, [[A, B], [A, A], [A, C]])).toEqual([2, 0, 1]);
  });

  it('does not mistake a file name for the next header', () => {
    const out = `${A} ${B}\n${A} ${C} not a header\0${A} ${C}\nz\0`;
    expect(parseCounts(out, [[A, B], [A, C]])).toEqual([1, 1]);
  });

  it('refuses output it does not understand rather than miscount', () => {
    expect(() => parseCounts('garbage', [[A, B]])).toThrow(/unexpected diff-tree output/);
  });
});

describe('git add --verbose output', () => {
  it('finds removals, names with quotes and newlines included', () => {
    const out = "add 'new file'\nremove 'gone'\nremove 'it''s\nodd'\nadd 'x'\nremove 'last'\n";
    expect(removedByAdd(out)).toEqual(['gone', "it''s\nodd", 'last']);
    expect(removedByAdd('')).toEqual([]);
  });
});

describe('git read-tree refusals', () => {
  it('names every path git refused to overwrite or delete, and nothing for other failures', () => {
    const stderr = [
      "error: Entry 'src/app.ts' not uptodate. Cannot merge.",
      "error: Untracked working tree file 'docs/new.md' would be overwritten by merge.",
      "error: Updating 'out' would lose untracked files in it",
      "error: Untracked working tree file 'old.txt' would be removed by merge.",
    ].join('\n');
    expect(refusedPaths(stderr)).toEqual(['src/app.ts', 'docs/new.md', 'out', 'old.txt']);
    expect(refusedPaths('fatal: unable to write new index file\n')).toEqual([]);
  });
});

describe('git line-ending warnings', () => {
  it('names the files git converts irreversibly, in the wording of git 2.37+ and of older versions', () => {
    const stderr = [
      "warning: in the working copy of 'src/a b.ts', CRLF will be replaced by LF the next time Git touches it",
      "warning: in the working copy of 'doc.md', LF will be replaced by CRLF the next time Git touches it",
      'warning: CRLF will be replaced by LF in old/style.txt.',
      'The file will have its original line endings in your working directory',
      "warning: adding embedded git repository: tools/nested",
    ].join('\n');
    expect(lossyConversions(stderr)).toEqual(['src/a b.ts', 'doc.md', 'old/style.txt']);
  });
});
