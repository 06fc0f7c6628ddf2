import { mkdirSync, mkdtempSync, rmSync, existsSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyDirLines, parseEmptyDirs, syncEmptyDirs } from '../../../src/git/empty-dirs.js';

const roots: string[] = [];
function root(): string {
  const dir = mkdtempSync(join(tmpdir(), 'choiros-empty-'));
  roots.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of roots.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('empty folders in snapshot messages', () => {
  it('round-trips names with spaces and newlines, and drops unsafe ones', () => {
    const message = ['title', '', ...emptyDirLines(['logs', 'a b/new\nline']), 'Choiros-Empty-Dir: "../escape"', 'Choiros-Empty-Dir: "/abs"', 'Choiros-Empty-Dir: ".git/x"', 'Choiros-Empty-Dir: {bad'].join('\n');
    expect(parseEmptyDirs(message)).toEqual(['logs', 'a b/new\nline']);
  });

  it('removes empty folders the target lacks, up the chain, and creates the target’s', () => {
    const dir = root();
    mkdirSync(join(dir, 'old/chain/leaf'), { recursive: true });
    mkdirSync(join(dir, 'busy/empty'), { recursive: true });
    writeFileSync(join(dir, 'busy/file.txt'), 'keep');
    syncEmptyDirs(dir, ['old/chain/leaf', 'busy/empty'], ['logs', 'data/cache']);
    expect(existsSync(join(dir, 'old'))).toBe(false);
    expect(existsSync(join(dir, 'busy/empty'))).toBe(false);
    expect(existsSync(join(dir, 'busy/file.txt'))).toBe(true);
    expect(existsSync(join(dir, 'logs'))).toBe(true);
    expect(existsSync(join(dir, 'data/cache'))).toBe(true);
  });

  it('never creates a folder through a symlink or over a file', () => {
    const dir = root();
    const outside = root();
    symlinkSync(outside, join(dir, 'link'));
    writeFileSync(join(dir, 'file'), 'x');
    syncEmptyDirs(dir, [], ['link/inside', 'file/inside']);
    expect(existsSync(join(outside, 'inside'))).toBe(false);
    expect(existsSync(join(dir, 'file/inside'))).toBe(false);
  });
});
