import { isAbsolute, relative, resolve } from 'node:path';
import type { GateConfig } from '../config/schema.js';
import { stripAnsi } from '../util/ansi.js';
import { errorExcerpt } from './excerpt.js';
import type { ExitJudgement } from './parsers/exit-code.js';
import type { FailedTest, LintProblem } from './parsers/report.js';
import { reportSources, reportType, type GateReport } from './reports.js';
import { parseTestCounts } from './summary.js';
import type { Attempt, Failure, TestTotals } from './types.js';

/**
 * Turns what one run of a gate showed (its exit, its reports, its output) into an attempt's
 * outcome, applying the gate's thresholds. Pure: the gate runner does the running and reading.
 */

export interface AttemptFacts {
  exit: ExitJudgement;
  /** `exited 1`, `timed out`: describeExit's words. */
  exitText: string;
  reports: GateReport[];
  output: string;
  durationMs: number;
}

/** Where the gate ran, so report paths can be shown relative to the project. */
export interface Places {
  root: string;
  cwd: string;
}

const MAX_FAILURES = 50;

interface Finding {
  reason: string;
  /** The tests or lint problems behind the reason; a reason without any becomes a gate failure. */
  failures: Failure[];
}

export function judgeAttempt(gate: string, config: GateConfig, facts: AttemptFacts, places: Places): Attempt {
  const namesTests = reportSources(config).some((source) => reportType(source.kind) === 'tests');
  const tests = testTotals(facts.reports, namesTests ? undefined : facts.output);
  const coverage = lowestCoverage(facts.reports);
  const lint = lintTotals(facts.reports);
  const outcome = (status: Attempt['status'], findings: Finding[]): Attempt => ({
    status,
    exit: facts.exitText,
    durationMs: facts.durationMs,
    reasons: findings.map((f) => f.reason),
    failures: findings.flatMap((f) => (f.failures.length > 0 ? f.failures : [gateFailure(gate, f.reason)])).slice(0, MAX_FAILURES),
    tests: tests?.totals ?? null,
    coverage,
    warnings: lint?.warnings ?? null,
    lintErrors: lint?.errors ?? null,
    excerpt: status === 'pass' ? [] : errorExcerpt(facts.output),
  });
  if (facts.exit.kind === 'error') return outcome('error', [{ reason: facts.exit.reason, failures: [] }]);

  const problems: Finding[] = facts.reports.flatMap((r) => (r.type === 'problem' ? [{ reason: r.reason, failures: [] }] : []));
  const unchecked = uncheckedThresholds(config, facts.reports, tests !== null);
  if (facts.exit.kind === 'passed' && (problems.length > 0 || unchecked.length > 0)) return outcome('error', [...problems, ...unchecked]);

  const place = (f: { file: string | null }) => projectPath(f.file, places);
  const findings = [...testFindings(gate, config, tests, place), ...coverageFindings(config, coverage, facts.reports), ...lintFindings(gate, config, lint, place)];
  // With a pass-rate threshold the rate decides, not the runner's exit code (which is 1 as soon as one test fails).
  const exitExcused = config.test_threshold !== undefined && tests !== null;
  if (facts.exit.kind === 'failed' && !exitExcused && findings.length === 0) findings.push({ reason: `the command ${facts.exit.meaning}`, failures: [] });
  const all = [...findings, ...problems, ...unchecked];
  return outcome(all.length === 0 ? 'pass' : 'fail', all);
}

interface Tests {
  totals: TestTotals;
  failures: FailedTest[];
  /** `output`: no report was named, and the counts come from the runner's own summary line. */
  from: 'report' | 'output';
}

/** `output`: the command's output, when the gate names no test report. */
function testTotals(reports: GateReport[], output: string | undefined): Tests | null {
  const found = reports.flatMap((r) => (r.type === 'tests' ? [r.report] : []));
  if (found.length === 0) {
    // `run: npm test` with no report still prints a summary (vitest, jest, cargo, pytest, mocha,
    // TAP): its counts are shown and can meet a test_threshold, though they name no test.
    const counts = output === undefined ? undefined : parseTestCounts(stripAnsi(output));
    if (counts === undefined) return null;
    return { totals: { total: counts.passed + counts.failed + counts.skipped, ...counts, errored: 0 }, failures: [], from: 'output' };
  }
  const sum = (key: keyof TestTotals) => found.reduce((n, r) => n + r[key], 0);
  return {
    totals: { total: sum('total'), passed: sum('passed'), failed: sum('failed'), errored: sum('errored'), skipped: sum('skipped') },
    failures: found.flatMap((r) => r.failures),
    from: 'report',
  };
}

function lowestCoverage(reports: GateReport[]): number | null {
  const percents = reports.flatMap((r) => (r.type === 'coverage' && r.report.percent !== null ? [r.report.percent] : []));
  return percents.length === 0 ? null : Math.min(...percents);
}

function lintTotals(reports: GateReport[]): { errors: number; warnings: number; problems: LintProblem[] } | null {
  const found = reports.flatMap((r) => (r.type === 'lint' ? [r.report] : []));
  if (found.length === 0) return null;
  return { errors: found.reduce((n, r) => n + r.errors, 0), warnings: found.reduce((n, r) => n + r.warnings, 0), problems: found.flatMap((r) => r.problems) };
}

/** A threshold with no report to check it against cannot pass. */
function uncheckedThresholds(config: GateConfig, reports: GateReport[], hasTests: boolean): Finding[] {
  const has = (type: GateReport['type']) => reports.some((r) => r.type === type);
  const unchecked: Finding[] = [];
  if (config.min !== undefined && !has('coverage') && !has('problem')) unchecked.push({ reason: 'min is set, but the gate names no coverage report (lcov, istanbul or cobertura)', failures: [] });
  if (config.max_warnings !== undefined && !has('lint') && !has('problem')) unchecked.push({ reason: 'max_warnings is set, but the gate names no lint report (eslint_json or clippy_json)', failures: [] });
  if (config.test_threshold !== undefined && !hasTests && !has('problem')) unchecked.push({ reason: 'test_threshold is set, but the gate names no test report and its output has no test summary', failures: [] });
  return unchecked;
}

type Place = (f: { file: string | null }) => string | null;

function testFindings(gate: string, config: GateConfig, tests: Tests | null, place: Place): Finding[] {
  if (tests === null) return [];
  const { totals } = tests;
  if (totals.total === 0 && tests.from === 'report') return [{ reason: 'the test report lists no tests', failures: [] }];
  const bad = totals.failed + totals.errored;
  const failures = tests.failures.map((t): Failure => ({ gate, kind: 'test', test: t.name, file: place(t), line: t.line, message: t.message }));
  if (config.test_threshold !== undefined) {
    const ran = totals.passed + bad;
    const rate = ran === 0 ? 0 : totals.passed / ran;
    if (rate >= config.test_threshold) return [];
    return [{ reason: `pass rate ${formatPercent(rate * 100)} is below the threshold ${formatPercent(config.test_threshold * 100)} (${bad} of ${ran} tests failed)`, failures }];
  }
  return bad === 0 ? [] : [{ reason: `${bad} of ${totals.total} tests failed`, failures }];
}

function coverageFindings(config: GateConfig, coverage: number | null, reports: GateReport[]): Finding[] {
  if (config.min === undefined || !reports.some((r) => r.type === 'coverage')) return [];
  if (coverage === null) return [{ reason: 'the coverage report counts no lines', failures: [] }];
  return coverage < config.min ? [{ reason: `coverage ${formatPercent(coverage)} is below the minimum ${formatPercent(config.min)}`, failures: [] }] : [];
}

function lintFindings(gate: string, config: GateConfig, lint: ReturnType<typeof lintTotals>, place: Place): Finding[] {
  if (lint === null) return [];
  const toFailure = (p: LintProblem): Failure => ({ gate, kind: 'lint', test: null, file: place(p), line: p.line, message: `${p.severity}${p.rule === null ? '' : ` ${p.rule}`}: ${p.message}` });
  const findings: Finding[] = [];
  if (lint.errors > 0) findings.push({ reason: `${lint.errors} lint ${lint.errors === 1 ? 'error' : 'errors'}`, failures: lint.problems.filter((p) => p.severity === 'error').map(toFailure) });
  if (config.max_warnings !== undefined && lint.warnings > config.max_warnings) {
    findings.push({ reason: `${lint.warnings} lint ${lint.warnings === 1 ? 'warning' : 'warnings'}, at most ${config.max_warnings} allowed`, failures: lint.problems.filter((p) => p.severity === 'warning').map(toFailure) });
  }
  return findings;
}

export function gateFailure(gate: string, message: string): Failure {
  return { gate, kind: 'gate', test: null, file: null, line: null, message };
}

/** `72.4%`: one decimal, none when whole. */
export function formatPercent(value: number): string {
  const rounded = Math.floor(value * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)}%`;
}

/** A report's path as the project sees it: relative to the root when inside it, else as written. */
export function projectPath(file: string | null, places: Places): string | null {
  if (file === null) return null;
  const plain = file.replace(/^file:\/\//, '');
  const absolute = isAbsolute(plain) ? plain : resolve(places.cwd, plain);
  const inside = relative(places.root, absolute);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? plain : inside;
}
