import type { Diagnostic } from './diagnostics.js';
import type { Source } from './source.js';
import { wrap } from '../util/wrap.js';

/** Colors are the caller's (the CLI's style honours NO_COLOR); the front end stays terminal-free. */
export interface Paint {
  red(text: string): string;
  yellow(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
  cyan(text: string): string;
}

const plain: Paint = { red: (t) => t, yellow: (t) => t, bold: (t) => t, dim: (t) => t, cyan: (t) => t };

/** C0 and C1 controls (but tab) as U+FFFD, one column each: a program's text never reaches the terminal as escape sequences. */
function visible(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, '\ufffd');
}

/**
 * `path:line:col: error CODE message`, then the source line and a caret under the span:
 *
 *     review.prose:4:11: error E007 undefined agent `writer`
 *       4 | session: writer
 *         |          ^^^^^^
 *
 * With a `width` (a terminal's), the message and the hint wrap under it; the first line keeps
 * `path:line:col: error CODE` whole, and the source line is never cut.
 */
export function formatDiagnostic(diagnostic: Diagnostic, source: Source, paint: Paint = plain, width = Infinity): string {
  const { line, column, severity, code, message, span } = diagnostic;
  const label = severity === 'error' ? paint.red(`error ${code}`) : paint.yellow(`warning ${code}`);
  const lines = wrap(`${paint.bold(`${visible(source.path)}:${line}:${column}:`)} ${label} ${visible(message)}`, width, { hanging: '    ' });
  if (line <= source.lineCount) {
    // Tabs become one space so the caret lines up with the column count.
    const text = visible(source.lineText(line).replace(/\t/g, ' '));
    const gutter = String(line);
    const end = span.end > span.start ? source.position(span.end) : undefined;
    const width = end === undefined || end.line !== line ? 1 : Math.max(1, end.column - column);
    const underline = ' '.repeat(column - 1) + '^'.repeat(Math.min(width, Math.max(1, text.length - column + 2)));
    lines.push(`${paint.dim(` ${gutter} |`)} ${text}`, `${paint.dim(` ${' '.repeat(gutter.length)} |`)} ${paint.cyan(underline)}`);
  }
  if (diagnostic.hint !== undefined) {
    const [first = '', ...rest] = diagnostic.hint.split('\n');
    lines.push(...wrap(first, width, { indent: '  = hint: ', hanging: '      ' }), ...rest.flatMap((hintLine) => wrap(hintLine, width, { indent: '      ' })));
  }
  return lines.join('\n');
}
