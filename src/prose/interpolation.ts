import type { Interpolation } from './ast.js';

/**
 * The `{name}` and `{a.b}` spans in a string. Whether one is an interpolation depends on what is
 * bound where it runs; `{id}` in a JSON sample stays literal when nothing is named `id`.
 *
 * A scan rather than the regular expression it implements,
 * `\{([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)\}`: the parser calls this for
 * every string of a program, and the match objects and `split` made garbage for each `{`.
 */
export function findInterpolations(text: string): Interpolation[] {
  const found: Interpolation[] = [];
  for (let open = text.indexOf('{'); open !== -1; ) {
    const end = interpolationEnd(text, open);
    if (end === -1) {
      open = text.indexOf('{', open + 1);
      continue;
    }
    const inner = text.slice(open + 1, end - 1);
    // Most are one name (`{item}`): no call into split for them.
    found.push({ path: inner.includes('.') ? inner.split('.') : [inner], start: open, end });
    open = text.indexOf('{', end);
  }
  // Copied to its length when something was pushed: an array grown by push keeps room for 16.
  return found.length === 0 ? found : found.slice();
}

/** Where the interpolation opened by the `{` at `open` ends (after its `}`), or -1 when none does. */
function interpolationEnd(text: string, open: number): number {
  let i = open + 1;
  for (;;) {
    if (!isNameStart(text.charCodeAt(i))) return -1;
    i += 1;
    while (isNamePart(text.charCodeAt(i))) i += 1;
    const c = text.charCodeAt(i);
    if (c === 125) return i + 1;
    if (c !== 46) return -1;
    i += 1;
  }
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isNamePart(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45;
}
