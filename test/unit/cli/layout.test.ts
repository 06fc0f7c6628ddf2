import { describe, expect, it } from 'vitest';
import { fit, table } from '../../../src/cli/table.js';
import { visibleWidth } from '../../../src/util/ansi.js';
import { wrap, wrapCommand, wrapParts, wrapPath } from '../../../src/util/wrap.js';

const widest = (lines: readonly string[]) => Math.max(...lines.map(visibleWidth));

describe('table', () => {
  const rows = [
    ['ID', 'TASK', 'RUN', 'STATUS', 'OUTPUTS'],
    ['12', 'session:cleo', 'run-20261120-143000-46bf02', 'running', 'https://github.com/acme/app/pull/42'],
    ['3', 'verify', 'run-20261120-090000-768958', 'succeeded', ''],
  ];

  it('lays out aligned columns when they fit', () => {
    expect(table(rows, 200)).toEqual([
      'ID  TASK          RUN                         STATUS     OUTPUTS',
      '12  session:cleo  run-20261120-143000-46bf02  running    https://github.com/acme/app/pull/42',
      '3   verify        run-20261120-090000-768958  succeeded',
    ]);
  });

  it('cuts the last column first', () => {
    const lines = table(rows, 75);
    expect(widest(lines)).toBeLessThanOrEqual(75);
    expect(lines[1]).toBe('12  session:cleo  run-20261120-143000-46bf02  running    https://github.co…');
  });

  it('gives up the columns it is told to before cutting the ones that say what a row is', () => {
    expect(table(rows, 60, { drop: [4, 2] })[0]).toBe('ID  TASK          RUN                         STATUS');
    const lines = table(rows, 45, { drop: [4, 2] });
    expect(lines[0]).toBe('ID  TASK          STATUS');
    expect(lines[1]).toBe('12  session:cleo  running');
  });

  it('cuts the widest columns, never past their header, and never prints a line wider than asked', () => {
    const lines = table(rows, 40);
    expect(widest(lines)).toBeLessThanOrEqual(40);
    expect(lines[0]?.startsWith('ID  TASK')).toBe(true);
    expect(lines[1]).toContain('…');
    for (const width of [10, 20, 33, 47, 61]) expect(widest(table(rows, width))).toBeLessThanOrEqual(width);
  });

  it('never cuts the columns it is told to keep whole, unless nothing else is left to cut', () => {
    const lines = table(rows, 50, { whole: [2] });
    expect(lines[1]).toContain('run-20261120-143000-46bf02');
    expect(widest(lines)).toBeLessThanOrEqual(50);
    expect(widest(table(rows, 20, { whole: [2] }))).toBeLessThanOrEqual(20);
  });

  it('measures styled cells by what shows', () => {
    const red = (t: string) => `\u001b[31m${t}\u001b[39m`;
    expect(table([['A', 'B'], [red('x'), 'y']], 80)).toEqual(['A  B', `${red('x')}  y`]);
    expect(fit(red('abcdef'), 4)).toBe('abc…');
  });
});

describe('wrap', () => {
  it('breaks at spaces, with an indent and a hanging indent', () => {
    expect(wrap('error: the quick brown fox jumps over the lazy dog', 20, { hanging: '  ' })).toEqual(['error: the quick', '  brown fox jumps', '  over the lazy dog']);
    expect(wrap('a b', 20, { indent: '  - ', hanging: '    ' })).toEqual(['  - a b']);
  });

  it('keeps a word longer than the line whole (a path stays copyable)', () => {
    expect(wrap('cannot read /a/very/long/path/that/does/not/fit/at/all.yaml now', 20)).toEqual(['cannot read', '/a/very/long/path/that/does/not/fit/at/all.yaml', 'now']);
  });

  it('keeps line breaks and runs of spaces that need no wrapping', () => {
    expect(wrap('one\n  two  three', 40, { hanging: '> ' })).toEqual(['one', '>   two  three']);
  });
});

describe('wrapParts', () => {
  it('starts a new line at a separator instead of overflowing', () => {
    expect(wrapParts(['git main', 'checkpoint-20261122-181236 (good, 5m ago)', 'run run-20261120-143000-46bf02 running'], 60)).toEqual([
      'git main · checkpoint-20261122-181236 (good, 5m ago)',
      '  run run-20261120-143000-46bf02 running',
    ]);
    expect(wrapParts(['a', 'b'], 60)).toEqual(['a · b']);
  });
});

describe('wrapCommand', () => {
  it('breaks a long command with backslashes so that it still runs when pasted', () => {
    expect(wrapCommand('choiros play reset --run run-20261120-143000-46bf02 --to-stage quality', 60)).toEqual([
      '  choiros play reset --run run-20261120-143000-46bf02 \\',
      '      --to-stage quality',
    ]);
    expect(wrapCommand("prose run p.prose deploy='node -e 1' phase=deployment mode=autonomous", 40)).toEqual([
      "  prose run p.prose deploy='node -e 1' \\",
      '      phase=deployment mode=autonomous',
    ]);
    expect(wrapCommand('choiros status', 60)).toEqual(['  choiros status']);
  });
});

describe('wrapPath', () => {
  it('breaks a long path after its slashes, never inside a name, and wraps the words after it', () => {
    const lines = wrapPath('/tmp/choiros-demo-4f2a9c/shop/.choiros/ledger.db (the ledger of every run)', 30);
    expect(lines).toEqual(['/tmp/choiros-demo-4f2a9c/shop/', '.choiros/ledger.db (the ledger', 'of every run)']);
    expect(wrapPath('/short/path', 30)).toEqual(['/short/path']);
  });
});
