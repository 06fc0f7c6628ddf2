/**
 * The indented form of a brace-delimited block, for the hint of the E005 that `if x == 1 {`
 * gets: programs written from memory of other languages (the choiros seed has one) should learn
 * the right form from the diagnostic itself.
 */

/** Past this many characters the "block" is not something a person wrote as one. */
const LIMIT = 10_000;

/** A clause of a chain (`} else {`, `} catch (err) {`), whose brace opens a block even mid-line. */
const CLAUSE = /^\s*(else|elif|catch|finally)\b/;

/**
 * Rewrites the braced construct that starts at `start` (its `{` at `open`) with indentation:
 * braces that end a line (and the first one) open blocks, `else if` becomes `elif`,
 * `catch (err)` becomes `catch as err`, and braces inside a line (object literals) stay as they are.
 */
export function bracedToIndented(text: string, start: number, open: number): string {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const base = ' '.repeat(start - lineStart);
  const lines: string[] = [];
  const stack: boolean[] = [];
  let depth = 0;
  let buffer = '';
  const flush = (suffix = '') => {
    const line = buffer
      .trim()
      .replace(/^else\s+if\b/, 'elif')
      .replace(/^catch\s*\(\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\)$/, 'catch as $1');
    if (line !== '') lines.push(`${base}${'  '.repeat(depth)}${line}${suffix}`);
    buffer = '';
  };
  const end = Math.min(text.length, start + LIMIT);
  for (let i = start; i < end; i++) {
    const c = text[i] as string;
    if (c === '"') {
      const close = text.indexOf('"', i + 1);
      const stop = close === -1 || close > end ? end - 1 : close;
      buffer += text.slice(i, stop + 1);
      i = stop;
    } else if (c === '{') {
      const opensBlock = i === open || /^[ \t]*(\r?\n|$)/.test(text.slice(i + 1, i + 80)) || CLAUSE.test(buffer);
      stack.push(opensBlock);
      if (!opensBlock) buffer += c;
      else {
        flush(':');
        depth += 1;
      }
    } else if (c === '}') {
      const closesBlock = stack.pop() ?? false;
      if (!closesBlock) buffer += c;
      else {
        flush();
        depth -= 1;
        // `} else {` and `} catch {` go on: the hint shows the whole if/else or try/catch chain.
        if (stack.length === 0 && !CLAUSE.test(text.slice(i + 1, i + 80))) break;
      }
    } else if (c === '\n') {
      flush();
    } else if (c !== '\r') {
      buffer += c;
    }
  }
  flush();
  return lines.join('\n');
}
