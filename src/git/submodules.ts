import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { entryMode, entryName, layoutIndex, readIndexFile, type IndexLayout } from './index-file.js';

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

const GITLINK = 0o160000;

/** The gitlinks of an index, sorted: a look at one byte per entry tells most indexes have none. */
export function gitlinks(layout: IndexLayout): string[] {
  if (!layout.anyGitlink) return [];
  const found: string[] = [];
  for (let i = 0; i < layout.count; i++) if (entryMode(layout, i) === GITLINK) found.push(entryName(layout, i));
  return found.sort();
}

/**
 * The submodules a work tree tracks: every gitlink in the index — declared in `.gitmodules` or
 * not (`git add` of a folder holding a repository makes one without) — else, when the index
 * cannot be read here, those `.gitmodules` declares.
 */
export function trackedSubmodules(root: string, indexFile: string, hashBytes: number): string[] {
  const buffer = readIndexFile(indexFile);
  const layout = buffer === undefined ? undefined : layoutIndex(buffer, hashBytes);
  return layout === undefined ? declaredSubmodules(root) : gitlinks(layout);
}
