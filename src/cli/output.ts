/**
 * Where commands write. Streams are injected so that tests capture them; colors follow NO_COLOR,
 * FORCE_COLOR and whether stdout is a terminal.
 */
export interface Output {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
  /** True when stdout is a terminal: Ink may render and prompts may ask. */
  isTTY: boolean;
  color: boolean;
  columns: number;
  /** A line on stdout. */
  line(text?: string): void;
  /** A line on stderr (progress, warnings). */
  note(text: string): void;
  /** Pretty JSON on stdout. */
  json(value: unknown): void;
  style: Style;
}

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

function sgr(open: number, close: number): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

const identity = (text: string) => text;

export function makeStyle(color: boolean): Style {
  if (!color) return { bold: identity, dim: identity, red: identity, green: identity, yellow: identity, cyan: identity };
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39) };
}

export function wantsColor(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTTY && env.TERM !== 'dumb';
}

export function makeOutput(stdout: Output['stdout'], stderr: NodeJS.WritableStream, env: NodeJS.ProcessEnv): Output {
  const isTTY = stdout.isTTY === true;
  const color = wantsColor(env, isTTY);
  return {
    stdout,
    stderr,
    isTTY,
    color,
    columns: stdout.columns ?? (Number(env.COLUMNS) || 80),
    line: (text = '') => void stdout.write(`${text}\n`),
    note: (text) => void stderr.write(`${text}\n`),
    json: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    style: makeStyle(color),
  };
}

/** Pads or cuts `text` to exactly `width` visible columns (ASCII-width assumption). */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text.padEnd(width);
  return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
}

/** Lays out rows as aligned columns; the last column takes what is left of `maxWidth`. */
export function table(rows: readonly (readonly string[])[], maxWidth = Infinity): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => {
    let used = 0;
    return row
      .map((cell, i) => {
        const last = i === row.length - 1;
        const width = last ? Math.max(0, Math.min(cell.length, maxWidth - used)) : (widths[i] ?? 0);
        used += width + 2;
        return last ? fit(cell, width).trimEnd() : fit(cell, width);
      })
      .join('  ')
      .trimEnd();
  });
}

/**
 * Breaks `text` at spaces into lines of at most `width` columns: the first line starts with
 * `indent` spaces, the others with `hanging`. A word longer than a line (a path) gets a line of
 * its own, whole.
 */
export function wrap(text: string, width: number, { indent = 0, hanging = indent }: { indent?: number; hanging?: number } = {}): string[] {
  const lines: string[] = [];
  let line = '';
  const pad = () => ' '.repeat(lines.length === 0 ? indent : hanging);
  for (const word of text.split(' ').filter((w) => w !== '')) {
    if (line !== '' && pad().length + line.length + 1 + word.length > width) {
      lines.push(pad() + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(pad() + line);
  return lines;
}
