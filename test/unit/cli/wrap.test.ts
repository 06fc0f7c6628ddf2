import { describe, expect, it } from 'vitest';
import { wrap } from '../../../src/cli/output.js';

describe('wrap', () => {
  it('breaks at spaces within the width, with a hanging indent', () => {
    expect(wrap('attempt 1 failed verification: unit, e2e, lint', 20, { indent: 2, hanging: 4 })).toEqual(['  attempt 1 failed', '    verification:', '    unit, e2e, lint']);
  });

  it('keeps a word longer than the line whole, on a line of its own', () => {
    expect(wrap('see /a/very/long/path/to/a/file for more', 12)).toEqual(['see', '/a/very/long/path/to/a/file', 'for more']);
  });

  it('leaves a short text as one line', () => {
    expect(wrap('done', 60, { indent: 1 })).toEqual([' done']);
  });
});
