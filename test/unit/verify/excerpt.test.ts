import { describe, expect, it } from 'vitest';
import { errorExcerpt } from '../../../src/verify/excerpt.js';
import { fixture } from './fixture.js';

describe('errorExcerpt', () => {
  it('keeps the lines that look like errors, without stack frames, escape sequences or all-clear summaries', () => {
    const output = [
      '\u001b[32m✓\u001b[39m adds',
      '\u001b[31m×\u001b[39m subtracts',
      'AssertionError: expected 1 to be 3',
      '    at /src/math.test.js:9:19',
      '# fail 0',
      'test result: ok. 1 passed; 0 failed; 0 ignored',
      'error: test failed, to rerun pass `--lib`',
      'sh: 1: tsc: not found',
    ].join('\n');
    expect(errorExcerpt(output)).toEqual(['× subtracts', 'AssertionError: expected 1 to be 3', 'error: test failed, to rerun pass `--lib`', 'sh: 1: tsc: not found']);
  });

  it('keeps the error a script threw, which names no failure in so many words', () => {
    const output = [
      '> toy@1.0.0 test',
      '> node test.js',
      '/tmp/toy/test.js:2',
      'total(cart)',
      'ReferenceError: total is not defined',
      '    at Object.<anonymous> (/tmp/toy/test.js:2:1)',
      'Traceback (most recent call last):',
      'ValueError: invalid literal for int() with base 10',
      'Exception in thread "main" java.lang.NullPointerException',
      'a terror of a line',
      "  name: 'AssertionError'",
      'TypeError [ERR_INVALID_ARG_TYPE]: The "path" argument must be of type string',
    ].join('\n');
    expect(errorExcerpt(output)).toEqual([
      'ReferenceError: total is not defined',
      'Traceback (most recent call last):',
      'ValueError: invalid literal for int() with base 10',
      'Exception in thread "main" java.lang.NullPointerException',
      'TypeError [ERR_INVALID_ARG_TYPE]: The "path" argument must be of type string',
    ]);
  });

  it('reads cargo test output down to the panic and the failing summary', () => {
    expect(errorExcerpt(fixture('cargo-test-2to1.txt'), 6)).toEqual([
      'test tests::subtracts ... FAILED',
      'failures:',
      "thread 'tests::subtracts' (14028) panicked at src/lib.rs:20:9:",
      'assertion `left == right` failed: two minus one',
      'test result: FAILED. 1 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s',
      'error: test failed, to rerun pass `--lib`',
    ]);
  });

  it('drops repeated lines, caps the count and the length of each line', () => {
    const output = `${'Error: same\n'.repeat(5)}${Array.from({ length: 40 }, (_, i) => `Error ${i}: ${'x'.repeat(300)}`).join('\n')}`;
    const excerpt = errorExcerpt(output);
    expect(excerpt).toHaveLength(20);
    expect(excerpt.filter((l) => l === 'Error: same')).toHaveLength(1);
    expect(excerpt[1]).toHaveLength(200);
  });
});
