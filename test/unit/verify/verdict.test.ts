import { describe, expect, it } from 'vitest';
import { combineVerdicts, verdictDigest } from '../../../src/verify/verdict.js';
import { gateVerdict, testFailure } from './gate-verdicts.js';

const subtracts = testFailure('unit', 'math > subtracts', 'src/math.test.js', 9, 'expected 1 to be 3');
const unitFailing = gateVerdict({
  gate: 'unit',
  status: 'fail',
  reasons: ['1 of 14 tests failed'],
  failures: [subtracts],
  tests: { total: 14, passed: 13, failed: 1, errored: 0, skipped: 0 },
  excerpt: ['FAIL src/math.test.js > math > subtracts', 'AssertionError: expected 1 to be 3'],
});
const coverage = gateVerdict({ gate: 'coverage', coverage: 87.25 });
const lint = gateVerdict({ gate: 'lint', warnings: 2 });

describe('combineVerdicts', () => {
  it('passes when every gate passed, with the lowest coverage and the summed warnings', () => {
    const verdict = combineVerdicts([coverage, gateVerdict({ gate: 'coverage2', coverage: 91 }), lint, gateVerdict({ gate: 'lint2', warnings: 1 })]);
    expect(verdict).toMatchObject({ passed: true, status: 'pass', flaky: false, failures: [], coverage: 87.25, warnings: 3, duration: 4000, fingerprint: null });
  });

  it('fails with every failing gate’s failures, and null coverage and warnings when nothing measured them', () => {
    const verdict = combineVerdicts([unitFailing], 1234.4);
    expect(verdict).toMatchObject({ passed: false, status: 'fail', failures: [subtracts], coverage: null, warnings: null, duration: 1234 });
    expect(verdict.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('takes the worst status: error over fail over flaky', () => {
    const flaky = gateVerdict({ gate: 'e2e', status: 'flaky' });
    const error = gateVerdict({ gate: 'slow', status: 'error', reasons: ['timed out after 10m00s'] });
    expect(combineVerdicts([flaky, unitFailing]).status).toBe('fail');
    expect(combineVerdicts([error, flaky, unitFailing]).status).toBe('error');
    expect(combineVerdicts([flaky, coverage])).toMatchObject({ status: 'flaky', flaky: true, passed: false });
  });

  it('passes a flaky gate that allows it, still saying it was flaky', () => {
    const tolerated = gateVerdict({ gate: 'e2e', status: 'flaky', passed: true });
    expect(combineVerdicts([tolerated, coverage])).toMatchObject({ passed: true, status: 'flaky', flaky: true, failures: [], fingerprint: null });
  });
});

describe('verdictDigest', () => {
  it('names the failing gates, the first failing tests with file:line, and the first error lines', () => {
    expect(verdictDigest([unitFailing, coverage, lint])).toBe(
      [
        'verify failed: unit fail; coverage pass, lint pass',
        'unit: fail — 1 of 14 tests failed (exited 1, 1s)',
        '  - math > subtracts (src/math.test.js:9): expected 1 to be 3',
        '  first error lines:',
        '    FAIL src/math.test.js > math > subtracts',
        '    AssertionError: expected 1 to be 3',
        'coverage: pass — coverage 87.2% (exited 0, 1s)',
        'lint: pass — 2 lint warnings (exited 0, 1s)',
      ].join('\n'),
    );
  });

  it('shows five failures per gate and counts the rest, lint problems by file:line', () => {
    const many = Array.from({ length: 7 }, (_, i) => testFailure('unit', `t${i}`, 'a.test.js', i + 1, 'boom\nsecond line'));
    const lintFailure = { gate: 'lint', kind: 'lint' as const, test: null, file: 'src/a.ts', line: 3, message: 'error eqeqeq: use ===' };
    const digest = verdictDigest([gateVerdict({ gate: 'unit', status: 'fail', reasons: ['7 of 7 tests failed'], failures: many }), gateVerdict({ gate: 'lint', status: 'fail', reasons: ['1 lint error'], failures: [lintFailure] })]);
    expect(digest.split('\n')).toEqual([
      'verify failed: unit fail, lint fail',
      'unit: fail — 7 of 7 tests failed (exited 1, 1s)',
      '  - t0 (a.test.js:1): boom / second line',
      '  - t1 (a.test.js:2): boom / second line',
      '  - t2 (a.test.js:3): boom / second line',
      '  - t3 (a.test.js:4): boom / second line',
      '  - t4 (a.test.js:5): boom / second line',
      '  … and 2 more',
      'lint: fail — 1 lint error (exited 1, 1s)',
      '  - src/a.ts:3 error eqeqeq: use ===',
    ]);
  });

  it('says how a flaky gate was counted and leaves out an exit the reason already gives', () => {
    const flaky = gateVerdict({ gate: 'e2e', status: 'flaky', reasons: ['failed, then passed on a re-run: 1 of 3 tests failed'] });
    const hung = gateVerdict({ gate: 'slow', status: 'error', reasons: ['timed out after 1s'] });
    const timedOut = { ...hung, attempts: hung.attempts.map((a) => ({ ...a, exit: 'timed out' })) };
    expect(verdictDigest([flaky, timedOut]).split('\n')).toEqual([
      'verify failed: e2e flaky, slow error',
      'e2e: flaky — failed, then passed on a re-run: 1 of 3 tests failed (exited 1, 1s)',
      '  (counted as a failure)',
      'slow: error — timed out after 1s (1s)',
    ]);
  });

  it('is capped, whatever the gates say', () => {
    const huge = gateVerdict({ gate: 'unit', status: 'fail', reasons: ['x'.repeat(10_000)] });
    expect(verdictDigest([huge]).length).toBe(4000);
  });
});
