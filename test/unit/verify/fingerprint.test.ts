import { describe, expect, it } from 'vitest';
import { failureFingerprint, normalizeText } from '../../../src/verify/fingerprint.js';
import { gateVerdict, testFailure } from './gate-verdicts.js';

const failing = (failures = [testFailure('unit', 'math > subtracts', 'src/math.test.js', 9, 'expected 1 to be 3')], excerpt = ['FAIL math > subtracts']) =>
  gateVerdict({ gate: 'unit', status: 'fail', reasons: ['1 of 14 tests failed'], failures, excerpt });

describe('failureFingerprint', () => {
  it('is null when every gate passed', () => {
    expect(failureFingerprint([gateVerdict({ gate: 'unit' })])).toBeNull();
  });

  it('is the same for the same failure, whatever line it moved to and in whatever order tests failed', () => {
    const a = testFailure('unit', 'a', 'src/a.test.js', 3, 'x');
    const b = testFailure('unit', 'b', 'src/b.test.js', 4, 'y');
    const moved = { ...a, line: 30, message: 'x at 12:01:02' };
    expect(failureFingerprint([failing([a, b], ['FAIL a'])])).toBe(failureFingerprint([failing([b, moved], ['FAIL b'])]));
  });

  it('differs when another test fails, when another gate fails, or when the status differs', () => {
    const base = failureFingerprint([failing()]);
    expect(failureFingerprint([failing([testFailure('unit', 'math > adds', 'src/math.test.js', 9, 'expected 1 to be 3')])])).not.toBe(base);
    expect(failureFingerprint([failing(), gateVerdict({ gate: 'lint', status: 'fail', reasons: ['1 lint error'] })])).not.toBe(base);
    expect(failureFingerprint([{ ...failing(), status: 'flaky' }])).not.toBe(base);
  });

  it('uses the first error line for a gate that names no test, with run-to-run noise removed', () => {
    const crash = (line: string) => gateVerdict({ gate: 'build', status: 'fail', reasons: ['the command exited 2'], failures: [], excerpt: [line] });
    const first = crash('Error: ENOENT /tmp/choiros-abc123/out.js at 2024-05-01T10:00:00Z after 1520ms (pid 4411)');
    const again = crash('Error: ENOENT /tmp/choiros-zz9/out.js at 2024-05-02T11:12:13Z after 98ms (pid 17)');
    expect(failureFingerprint([first])).toBe(failureFingerprint([again]));
    expect(failureFingerprint([first])).not.toBe(failureFingerprint([crash('Error: EACCES /tmp/choiros-zz9/out.js')]));
  });

  it('counts coverage below the minimum as the same failure whatever the percent', () => {
    const low = (percent: string) =>
      gateVerdict({ gate: 'coverage', status: 'fail', failures: [{ gate: 'coverage', kind: 'gate', test: null, file: null, line: null, message: `coverage ${percent} is below the minimum 85%` }] });
    expect(failureFingerprint([low('72.4%')])).toBe(failureFingerprint([low('80.1%')]));
  });
});

describe('normalizeText', () => {
  it('replaces temp dirs, timestamps, durations, hex ids and numbers', () => {
    expect(normalizeText('\u001b[31mat /tmp/x-1/a.js:12:5\u001b[39m 2024-05-01 10:00:00 took 1.5s, sha 3f2a9c1d, 42 items, 10:11:12')).toBe('at <tmp>:#:# <time> took <duration>, sha <hex>, # items, <time>');
    expect(normalizeText('/var/folders/ab/T/x  and /private/var/folders/q')).toBe('<tmp> and <tmp>');
  });
});
