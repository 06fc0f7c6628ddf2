import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isIgnored, isInside } from '../../../src/watch/project-files.js';

describe('isInside', () => {
  const folders = new Set(['tmp', join('sub', 'big')]);

  it('holds for an ignored folder and everything below it', () => {
    expect(isInside('tmp', folders)).toBe(true);
    expect(isInside(join('tmp', 'a', 'b.txt'), folders)).toBe(true);
    expect(isInside(join('sub', 'big'), folders)).toBe(true);
    expect(isInside(join('sub', 'big', 'x'), folders)).toBe(true);
  });

  it('does not hold for a sibling sharing a prefix, a parent, the root or a path outside it', () => {
    expect(isInside('tmpl', folders)).toBe(false);
    expect(isInside(join('tmpl', 'x'), folders)).toBe(false);
    expect(isInside('sub', folders)).toBe(false);
    expect(isInside(join('sub', 'bigger'), folders)).toBe(false);
    expect(isInside('', folders)).toBe(false);
    expect(isInside(join('..', 'tmp'), folders)).toBe(false);
  });
});

describe('isIgnored', () => {
  it('matches a folder name at any depth and a root-relative prefix, never the root', () => {
    expect(isIgnored(join('a', 'node_modules', 'x.js'), ['node_modules'])).toBe(true);
    expect(isIgnored(join('reports', 'junit.xml'), [join('reports', 'junit.xml')])).toBe(true);
    expect(isIgnored(join('reports', 'x'), [join('reports', 'junit.xml')])).toBe(false);
    expect(isIgnored(join('a', 'reports'), [join('b', 'reports')])).toBe(false);
    expect(isIgnored('', ['node_modules'])).toBe(false);
  });
});
