import { describe, expect, it } from 'vitest';
import { parseCargoTest } from '../../../src/verify/parsers/cargo.js';
import { fixture } from './fixture.js';

const subtracts = { name: 'tests::subtracts', file: 'src/lib.rs', line: 20, message: 'assertion `left == right` failed: two minus one\nleft: 1\nright: 3', outcome: 'failed' };
const panics = { name: 'public_api_panics', file: 'tests/api.rs', line: 8, message: 'boom at 42', outcome: 'failed' };

describe('parseCargoTest', () => {
  it('sums the test result line of every test binary and locates each failure by its panic', () => {
    expect(parseCargoTest(fixture('cargo-test-fail.txt'))).toEqual({
      kind: 'read',
      report: { format: 'cargo', total: 5, passed: 2, failed: 2, errored: 0, skipped: 1, failures: [subtracts, panics] },
    });
  });

  it('reads the same from stdout and stderr interleaved (2>&1)', () => {
    expect(parseCargoTest(fixture('cargo-test-2to1.txt'))).toEqual(parseCargoTest(fixture('cargo-test-fail.txt')));
  });

  it('stops the message at a backtrace', () => {
    expect(parseCargoTest(fixture('cargo-test-backtrace.txt'))).toMatchObject({ kind: 'read', report: { total: 3, passed: 1, failed: 1, skipped: 1, failures: [subtracts] } });
  });

  it('reads a passing run, filtered tests not counted', () => {
    expect(parseCargoTest(fixture('cargo-test-pass.txt'))).toEqual({ kind: 'read', report: { format: 'cargo', total: 2, passed: 2, failed: 0, errored: 0, skipped: 0, failures: [] } });
  });

  it('reads the panic format of Rust before 1.73, message over several lines', () => {
    const old = [
      'running 1 test',
      'test it_works ... FAILED',
      '',
      'failures:',
      '',
      '---- it_works stdout ----',
      "thread 'it_works' panicked at 'assertion failed: `(left == right)`",
      "  left: `1`', src/lib.rs:5:9",
      '',
      'failures:',
      '    it_works',
      '',
      'test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out',
    ].join('\n');
    expect(parseCargoTest(old)).toMatchObject({ report: { failures: [{ name: 'it_works', file: 'src/lib.rs', line: 5, message: 'assertion failed: `(left == right)`\nleft: `1`' }] } });
  });

  it('names a failing doc-test even without a panic location', () => {
    const doc = 'running 1 test\ntest src/lib.rs - add (line 3) ... FAILED\n\nfailures:\n\n---- src/lib.rs - add (line 3) stdout ----\nTest executable failed (exit status: 101).\n\nfailures:\n    src/lib.rs - add (line 3)\n\ntest result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out';
    expect(parseCargoTest(doc)).toMatchObject({ report: { failed: 1, failures: [{ name: 'src/lib.rs - add (line 3)', file: null, message: 'Test executable failed (exit status: 101).' }] } });
  });

  it('says output without a test result line (a compile error) could not be read', () => {
    expect(parseCargoTest('error[E0425]: cannot find value `x` in this scope\nerror: could not compile `mathy`')).toEqual({
      kind: 'unreadable',
      reason: 'no `test result:` line: cargo test did not finish running its tests',
    });
  });
});
