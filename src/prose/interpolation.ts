import type { Interpolation } from './ast.js';

const PATTERN = /\{([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)\}/g;

/**
 * The `{name}` and `{a.b}` spans in a string. Whether one is an interpolation depends on what is
 * bound where it runs; `{id}` in a JSON sample stays literal when nothing is named `id`.
 */
export function findInterpolations(text: string): Interpolation[] {
  if (!text.includes('{')) return [];
  const found: Interpolation[] = [];
  for (const match of text.matchAll(PATTERN)) {
    const start = match.index;
    found.push({ path: (match[1] ?? '').split('.'), start, end: start + match[0].length });
  }
  return found;
}
