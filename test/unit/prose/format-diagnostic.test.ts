import { describe, expect, it } from 'vitest';
import { checkSource, formatDiagnostic } from '../../../src/prose/index.js';

function printed(text: string): string[] {
  const { diagnostics, source } = checkSource(text, 'x.prose');
  return diagnostics.map((d) => formatDiagnostic(d, source));
}

describe('formatDiagnostic', () => {
  it('prints the position, severity, code and message, the source line and a caret under the span', () => {
    expect(printed('session: ghost\n')).toEqual(['x.prose:1:10: error E007 undefined agent `ghost`\n 1 | session: ghost\n   |          ^^^^^']);
  });

  it('prints warnings as warnings and widens the gutter for long line numbers', () => {
    const text = `${'\n'.repeat(11)}loop:\n  x\n`;
    expect(printed(text)).toEqual(['x.prose:12:1: warning P103 `loop` without `(max: N)`: choiros stops it after 100 iterations\n 12 | loop:\n    | ^^^^']);
  });

  it('puts a single caret under a position at the end of a line', () => {
    expect(printed('let x =\n')).toEqual(['x.prose:1:8: error E004 expected an expression, found the end of the line\n 1 | let x =\n   |        ^']);
  });

  it('underlines only the first line of a span across lines', () => {
    expect(printed('x = """\nnever closed\n')).toEqual(['x.prose:1:5: error E001 unterminated triple-quoted string: add a closing `"""`\n 1 | x = """\n   |     ^^^']);
  });

  it('shows a hint under the code frame', () => {
    const [first] = printed('if x {\n  y\n}\n');
    expect(first).toBe('x.prose:1:6: error E005 `.prose` blocks are indented, not wrapped in braces\n 1 | if x {\n   |      ^\n  = hint: indent the block instead:\n      if x:\n        y');
  });

  it('shows control characters of the source as U+FFFD, so a program cannot drive the terminal through its own error', () => {
    expect(printed('session: ghost # \u001b]2;owned\u0007\u001b[2J\n')).toEqual(['x.prose:1:10: error E007 undefined agent `ghost`\n 1 | session: ghost # \ufffd]2;owned\ufffd\ufffd[2J\n   |          ^^^^^']);
  });

  it('uses the colors it is given', () => {
    const { diagnostics, source } = checkSource('session: ghost\n', 'x.prose');
    const paint = { red: (t: string) => `<r>${t}</r>`, yellow: (t: string) => t, bold: (t: string) => `<b>${t}</b>`, dim: (t: string) => t, cyan: (t: string) => `<c>${t}</c>` };
    expect(formatDiagnostic(diagnostics[0]!, source, paint).split('\n')[0]).toBe('<b>x.prose:1:10:</b> <r>error E007</r> undefined agent `ghost`');
  });

  it('wraps the message under the position at a given width, never cutting the source line', () => {
    const { diagnostics, source } = checkSource('session\n', 'broken.prose');
    expect(formatDiagnostic(diagnostics[0]!, source, undefined, 60).split('\n')).toEqual([
      'broken.prose:1:1: error E003 session without a prompt or an',
      '    agent: write `session "…"` or `session: NAME`',
      ' 1 | session',
      '   | ^^^^^^^',
    ]);
  });
});
