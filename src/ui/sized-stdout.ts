import type { Output } from '../cli/output.js';

/**
 * The terminal Ink draws on, with a width. A pseudo-terminal may report 0 columns (script(1),
 * some CI runners, `docker exec -t` before its first resize): Ink then lays out every character
 * on a line of its own. It gets the width the plain output uses instead ($COLUMNS, else 80); a
 * resize sets the real one.
 */
export function sizedStdout(out: Pick<Output, 'stdout' | 'columns'>): NodeJS.WriteStream {
  const stdout = out.stdout as NodeJS.WriteStream;
  if (!stdout.columns) stdout.columns = out.columns;
  return stdout;
}
