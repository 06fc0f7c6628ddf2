import { describe, expect, it } from 'vitest';
import { GateSchema } from '../../../src/config/schema.js';
import { formatPercent, judgeAttempt, projectPath, type AttemptFacts } from '../../../src/verify/judge.js';
import { parseReport, type GateReport } from '../../../src/verify/reports.js';
import { fixture } from './fixture.js';

const gate = (config: Record<string, unknown>) => GateSchema.parse({ run: 'true', ...config });
const places = { root: '/tmp/vfx', cwd: '/tmp/vfx/vt' };
const facts = (over: Partial<AttemptFacts>): AttemptFacts => ({ exit: { kind: 'passed' }, exitText: 'exited 0', reports: [], output: '', durationMs: 12, ...over });
const failedExit = { exit: { kind: 'failed', meaning: 'exited 1' }, exitText: 'exited 1' } as const;
const tap = (text: string) => parseReport({ kind: 'tap', from: { type: 'stdout' } }, text);
const lcov = (percentHit: number) => parseReport({ kind: 'lcov', from: { type: 'file', path: 'lcov.info' } }, `SF:a.js\nLF:100\nLH:${percentHit}\nend_of_record\n`);
const eslint = (warnings: number, errors = 0) =>
  parseReport(
    { kind: 'eslint', from: { type: 'stdout' } },
    JSON.stringify([{ filePath: '/tmp/vfx/src/a.js', messages: [...Array(warnings).fill({ severity: 1, ruleId: 'no-unused-vars', message: 'unused', line: 3 }), ...Array(errors).fill({ severity: 2, ruleId: 'eqeqeq', message: 'use ===', line: 7 })] }]),
  );
const problem = (reason: string): GateReport => ({ type: 'problem', source: 'JUnit report r.xml', reason });

describe('judgeAttempt', () => {
  it('passes a command that exits 0 with passing tests', () => {
    const attempt = judgeAttempt('unit', gate({ tap: true }), facts({ reports: [tap('1..1\nok 1 - a')] }), places);
    expect(attempt).toEqual({ status: 'pass', exit: 'exited 0', durationMs: 12, reasons: [], failures: [], tests: { total: 1, passed: 1, failed: 0, errored: 0, skipped: 0 }, coverage: null, warnings: null, lintErrors: null, excerpt: [] });
  });

  it('fails on failing tests, listing each with its file relative to the project root', () => {
    const junit = parseReport({ kind: 'junit', from: { type: 'file', path: 'junit.xml' } }, fixture('vitest-junit.xml'));
    const attempt = judgeAttempt('unit', gate({ junit: 'junit.xml' }), facts({ ...failedExit, reports: [junit], output: 'FAIL src/math.test.js > math > subtracts\n ✓ adds' }), places);
    expect(attempt.status).toBe('fail');
    expect(attempt.reasons).toEqual(['3 of 8 tests failed']);
    expect(attempt.failures[1]).toEqual({ gate: 'unit', kind: 'test', test: 'math > subtracts', file: 'vt/src/math.test.js', line: 9, message: 'expected 1 to be 3 // Object.is equality' });
    expect(attempt.excerpt).toEqual(['FAIL src/math.test.js > math > subtracts']);
  });

  it('fails a command that exits 0 while its report lists failures (`|| true` is not a pass)', () => {
    expect(judgeAttempt('unit', gate({ tap: true }), facts({ reports: [tap('1..1\nnot ok 1 - a')] }), places)).toMatchObject({ status: 'fail', reasons: ['1 of 1 tests failed'] });
  });

  it('fails a non-zero exit that no report explains, saying what the exit means', () => {
    const attempt = judgeAttempt('build', gate({}), facts({ exit: { kind: 'failed', meaning: 'exited 137 (killed)' }, exitText: 'exited 137 (killed)' }), places);
    expect(attempt).toMatchObject({ status: 'fail', reasons: ['the command exited 137 (killed)'], failures: [{ gate: 'build', kind: 'gate', test: null, message: 'the command exited 137 (killed)' }] });
  });

  it('fails a report that lists no tests at all', () => {
    expect(judgeAttempt('unit', gate({ tap: true }), facts({ reports: [tap('1..0')] }), places)).toMatchObject({ status: 'fail', reasons: ['the test report lists no tests'] });
  });

  it('lets the pass rate decide under test_threshold, whatever the exit code', () => {
    const nine = tap(`1..10\n${Array.from({ length: 9 }, (_, i) => `ok ${i + 1} - t${i}`).join('\n')}\nnot ok 10 - t9`);
    expect(judgeAttempt('unit', gate({ tap: true, test_threshold: 0.85 }), facts({ ...failedExit, reports: [nine] }), places)).toMatchObject({ status: 'pass', reasons: [] });
    expect(judgeAttempt('unit', gate({ tap: true, test_threshold: 0.95 }), facts({ ...failedExit, reports: [nine] }), places)).toMatchObject({
      status: 'fail',
      reasons: ['pass rate 90% is below the threshold 95% (1 of 10 tests failed)'],
      failures: [{ kind: 'test', test: 't9' }],
    });
  });

  it('fails coverage under min and reports the lowest of several coverage reports', () => {
    const attempt = judgeAttempt('coverage', gate({ lcov: 'lcov.info', min: 85 }), facts({ reports: [lcov(90), lcov(84)] }), places);
    expect(attempt).toMatchObject({ status: 'fail', coverage: 84, reasons: ['coverage 84% is below the minimum 85%'], failures: [{ kind: 'gate', message: 'coverage 84% is below the minimum 85%' }] });
    expect(judgeAttempt('coverage', gate({ lcov: 'lcov.info', min: 85 }), facts({ reports: [lcov(85)] }), places)).toMatchObject({ status: 'pass', coverage: 85 });
  });

  it('fails on any lint error, and on warnings only beyond max_warnings, listing them with file:line', () => {
    expect(judgeAttempt('lint', gate({ eslint_json: true }), facts({ reports: [eslint(3)] }), places)).toMatchObject({ status: 'pass', warnings: 3, lintErrors: 0 });
    expect(judgeAttempt('lint', gate({ eslint_json: true, max_warnings: 3 }), facts({ reports: [eslint(3)] }), places)).toMatchObject({ status: 'pass' });
    const over = judgeAttempt('lint', gate({ eslint_json: true, max_warnings: 0 }), facts({ reports: [eslint(1, 1)] }), places);
    expect(over).toMatchObject({ status: 'fail', reasons: ['1 lint error', '1 lint warning, at most 0 allowed'] });
    expect(over.failures).toEqual([
      { gate: 'lint', kind: 'lint', test: null, file: 'src/a.js', line: 7, message: 'error eqeqeq: use ===' },
      { gate: 'lint', kind: 'lint', test: null, file: 'src/a.js', line: 3, message: 'warning no-unused-vars: unused' },
    ]);
  });

  it('makes a missing or stale report an error when the command exited 0, never a pass', () => {
    expect(judgeAttempt('unit', gate({ junit: 'r.xml' }), facts({ reports: [problem('JUnit report r.xml was not written')] }), places)).toMatchObject({
      status: 'error',
      reasons: ['JUnit report r.xml was not written'],
    });
  });

  it('makes a missing report a failure when the command failed: the exit code already answered', () => {
    expect(judgeAttempt('unit', gate({ junit: 'r.xml' }), facts({ ...failedExit, reports: [problem('JUnit report r.xml was not written')] }), places)).toMatchObject({
      status: 'fail',
      reasons: ['the command exited 1', 'JUnit report r.xml was not written'],
    });
  });

  it('makes a threshold with nothing to check it against an error', () => {
    expect(judgeAttempt('coverage', gate({ min: 80 }), facts({}), places)).toMatchObject({ status: 'error', reasons: ['min is set, but the gate names no coverage report (lcov, istanbul or cobertura)'] });
    expect(judgeAttempt('lint', gate({ max_warnings: 0 }), facts({}), places)).toMatchObject({ status: 'error', reasons: ['max_warnings is set, but the gate names no lint report (eslint_json or clippy_json)'] });
    expect(judgeAttempt('unit', gate({ test_threshold: 0.9 }), facts({}), places)).toMatchObject({
      status: 'error',
      reasons: ['test_threshold is set, but the gate names no test report and its output has no test summary'],
    });
  });

  it("counts tests from the runner's summary line when no report is named, for the digest and test_threshold", () => {
    const output = '\u001b[2m      Tests \u001b[22m 1 failed | 19 passed (20)\n';
    expect(judgeAttempt('unit', gate({}), facts({ ...failedExit, output }), places)).toMatchObject({
      status: 'fail',
      reasons: ['1 of 20 tests failed'],
      tests: { total: 20, passed: 19, failed: 1, errored: 0, skipped: 0 },
      failures: [{ kind: 'gate', test: null, message: '1 of 20 tests failed' }],
    });
    expect(judgeAttempt('unit', gate({ test_threshold: 0.9 }), facts({ ...failedExit, output }), places)).toMatchObject({ status: 'pass' });
    expect(judgeAttempt('unit', gate({}), facts({ output: 'Tests  0 passed (0)' }), places)).toMatchObject({ status: 'pass', tests: { total: 0 } });
    expect(judgeAttempt('coverage', gate({ lcov: 'lcov.info' }), facts({ reports: [lcov(90)], output }), places)).toMatchObject({ tests: { total: 20 }, coverage: 90 });
    expect(judgeAttempt('unit', gate({ tap: true }), facts({ reports: [tap('1..1\nok 1 - a')], output }), places)).toMatchObject({ tests: { total: 1 } });
  });

  it('makes a timeout an error whatever the reports say', () => {
    const attempt = judgeAttempt('unit', gate({ tap: true }), facts({ exit: { kind: 'error', reason: 'timed out after 1s' }, exitText: 'timed out', output: 'Error: still waiting' }), places);
    expect(attempt).toMatchObject({ status: 'error', reasons: ['timed out after 1s'], excerpt: ['Error: still waiting'], tests: null });
  });
});

describe('projectPath', () => {
  it('shows paths inside the project relative to its root and leaves others as written', () => {
    expect(projectPath('src/a.js', places)).toBe('vt/src/a.js');
    expect(projectPath('/tmp/vfx/vt/src/a.js', places)).toBe('vt/src/a.js');
    expect(projectPath('file:///tmp/vfx/vt/src/a.js', places)).toBe('vt/src/a.js');
    expect(projectPath('/home/dev/other.js', places)).toBe('/home/dev/other.js');
    expect(projectPath(null, places)).toBeNull();
  });
});

describe('formatPercent', () => {
  it('never rounds a failing coverage up to the minimum', () => {
    expect([formatPercent(84.99), formatPercent(85), formatPercent(91.111)]).toEqual(['84.9%', '85%', '91.1%']);
  });
});
