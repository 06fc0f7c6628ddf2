import type { Interpolation } from './ast.js';

const PATTERN = /\{([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)\}/g;

/**
 * The `{name}` and `{a.b}` spans in a string. Whether one is an interpolation depends on what is
 * bound where it runs; `{id}` in a JSON sample stays literal when nothing is named `id`.
 */
export function findInterpolations(text: string): Interpolation[] {
  const found: Interpolation[] = [];
  if (!text.includes('{')) return found;
  PATTERN.lastIndex = 0;
  for (let match = PATTERN.exec(text); match !== null; match = PATTERN.exec(text)) {
    found.push({ path: (match[1] ?? '').split('.'), start: match.index, end: match.index + match[0].length });
  }
  return found;
}
