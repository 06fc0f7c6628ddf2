import { describe, expect, it } from 'vitest';
import { parseTap } from '../../../src/verify/parsers/tap.js';
import { fixture } from './fixture.js';

describe('parseTap', () => {
  it('reads node --test TAP: leaves only, SKIP and TODO as skipped, names through the suites, the assertion line from the stack', () => {
    expect(parseTap(fixture('node-test.tap'))).toEqual({
      kind: 'read',
      report: {
        format: 'tap',
        total: 7,
        passed: 3,
        failed: 2,
        errored: 0,
        skipped: 2,
        failures: [
          { name: 'calc > adds negatives', file: '/tmp/vfx/nt/calc.test.js', line: 11, message: 'Expected values to be strictly equal:\n-2 !== -3', outcome: 'failed' },
          { name: 'top-level throws', file: '/tmp/vfx/nt/calc.test.js', line: 30, message: 'kaboom\nsecond line', outcome: 'failed' },
        ],
      },
    });
  });

  it('reads TAP 14 subtests with escaped descriptions and `at:` diagnostics as a map or a string', () => {
    expect(parseTap(fixture('tap14-subtests.tap'))).toEqual({
      kind: 'read',
      report: {
        format: 'tap',
        total: 7,
        passed: 3,
        failed: 2,
        errored: 0,
        skipped: 2,
        failures: [
          { name: 'parser > reads strings', file: 'test/parser.test.js', line: 27, message: 'unterminated string', outcome: 'failed' },
          { name: 'cli', file: 'test/cli.test.js', line: 8, message: 'exit code 2, expected 0', outcome: 'failed' },
        ],
      },
    });
  });

  it('keeps escaped hashes in names and drops comments that are not directives', () => {
    const parsed = parseTap('1..2\nnot ok 1 - a \\# b # time=3ms\nok 2 c # todo later');
    expect(parsed).toMatchObject({ kind: 'read', report: { passed: 0, skipped: 1, failures: [{ name: 'a # b', message: 'not ok (no diagnostics)' }] } });
  });

  it('counts a suite that failed while its tests passed (a failing hook) as one errored test', () => {
    const tap = ['1..1', '    ok 1 - inner', '    1..1', 'not ok 1 - suite', '  ---', "  error: 'after hook failed'", '  ...'].join('\n');
    expect(parseTap(tap)).toMatchObject({ kind: 'read', report: { total: 2, passed: 1, errored: 1, failures: [{ name: 'suite', message: 'after hook failed', outcome: 'errored' }] } });
  });

  it('ignores lines that are not TAP among the test output', () => {
    const tap = 'building…\nTAP version 13\n1..1\nconsole: ok then\nok, connected\nnot okay\nok 1 - works\nDone.';
    expect(parseTap(tap)).toMatchObject({ kind: 'read', report: { total: 1, passed: 1 } });
  });

  it('reports a stream cut short: a plan that does not match, or no plan at all', () => {
    expect(parseTap('1..3\nok 1 - a\nok 2 - b')).toMatchObject({
      report: { total: 3, passed: 2, errored: 1, failures: [{ name: '(plan)', message: 'planned 3 tests but 2 ran: the output may have been cut short' }] },
    });
    expect(parseTap('ok 1 - a')).toMatchObject({ report: { errored: 1, failures: [{ name: '(plan)', message: 'the TAP output has no plan (1..N): it may have been cut short' }] } });
  });

  it('reads diagnostics from a YAML block that was never closed', () => {
    expect(parseTap('1..1\nnot ok 1 - a\n  ---\n  message: boom\n  at: src/a.test.js:3:1')).toMatchObject({ report: { failures: [{ name: 'a', file: 'src/a.test.js', line: 3, message: 'boom' }] } });
  });

  it('turns Bail out! into an errored test and accepts a plan of 1..0', () => {
    expect(parseTap('1..4\nok 1 - a\nBail out! database is down')).toMatchObject({ report: { total: 2, passed: 1, errored: 1, failures: [{ name: 'Bail out!', message: 'database is down' }] } });
    expect(parseTap('1..0 # skipped: no tests on this platform')).toEqual({ kind: 'read', report: { format: 'tap', total: 0, passed: 0, failed: 0, errored: 0, skipped: 0, failures: [] } });
  });

  it('says output without any TAP could not be read', () => {
    expect(parseTap('Error: Cannot find module ./x\n    at require')).toEqual({ kind: 'unreadable', reason: 'no TAP test lines or plan found' });
  });
});
