import { describe, expect, it } from 'vitest';
import { parseGitmodules } from '../../../src/git/submodules.js';

describe('.gitmodules', () => {
  it('reads every path, quoted or not, sorted', () => {
    const text = '[submodule "b"]\n\tpath = vendor/b\n\turl = ../b\n[submodule "a"]\n  path=vendor/a\n[submodule "q"]\n\tpath = "with \\"quotes\\""\n';
    expect(parseGitmodules(text)).toEqual(['vendor/a', 'vendor/b', 'with "quotes"']);
  });
});
