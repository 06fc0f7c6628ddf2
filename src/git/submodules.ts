import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `path = …` values of a `.gitmodules` text (git-config syntax, optionally quoted). */
export function parseGitmodules(text: string): string[] {
  const paths: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*path\s*=\s*(.*?)\s*$/.exec(line);
    if (match === null) continue;
    const value = match[1] ?? '';
    paths.push(value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1).replace(/\\(["\\])/g, '$1') : value);
  }
  return paths.filter((p) => p !== '').sort();
}

/**
 * The submodules a work tree declares. A snapshot records each one's checked-out commit, not
 * its files, and a rollback does not move it: both are reported instead of silently skipped.
 */
export function declaredSubmodules(root: string): string[] {
  try {
    return parseGitmodules(readFileSync(join(root, '.gitmodules'), 'utf8'));
  } catch {
    return [];
  }
}
