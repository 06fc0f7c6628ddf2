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
  /** Width for tables and frames: the terminal's, else COLUMNS, else 80. */
  columns: number;
  /**
   * Where sentences (messages, hints, headers) wrap: the terminal's width, else COLUMNS; without
   * either, never, so that a log or a pipe keeps each message on one greppable line.
   */
  wrapAt: number;
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

/**
 * NO_COLOR (any non-empty value) wins; then FORCE_COLOR as chalk reads it (`0` or `false` turns
 * colors off even on a terminal, any other value on even in a pipe); else a terminal that is not
 * dumb.
 */
export function wantsColor(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTTY && env.TERM !== 'dumb';
}

export function makeOutput(stdout: Output['stdout'], stderr: NodeJS.WritableStream, env: NodeJS.ProcessEnv): Output {
  const isTTY = stdout.isTTY === true;
  const color = wantsColor(env, isTTY);
  // A pseudo-terminal may report 0 columns: that is no width at all.
  const terminal = stdout.columns || (stderr as { columns?: number }).columns || undefined;
  const fromEnv = Number(env.COLUMNS) > 0 ? Number(env.COLUMNS) : undefined;
  return {
    stdout,
    stderr,
    isTTY,
    color,
    columns: (stdout.columns || undefined) ?? fromEnv ?? 80,
    wrapAt: terminal ?? fromEnv ?? Infinity,
    line: (text = '') => void stdout.write(`${text}\n`),
    note: (text) => void stderr.write(`${text}\n`),
    json: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    style: makeStyle(color),
  };
}
