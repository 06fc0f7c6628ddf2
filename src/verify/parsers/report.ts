/**
 * What the report parsers return. Every parser is pure (text in, data out) and total: malformed,
 * truncated or empty input ends in `{ kind: 'unreadable', reason }`, never in an exception, so a
 * broken report can only make a gate an error, never crash the run or pass by accident.
 */

export type Parsed<T> = { readonly kind: 'read'; readonly report: T } | { readonly kind: 'unreadable'; readonly reason: string };

export const read = <T>(report: T): Parsed<T> => ({ kind: 'read', report });
export const unreadable = <T>(reason: string): Parsed<T> => ({ kind: 'unreadable', reason });

/** A test that did not pass, as its report names it. */
export interface FailedTest {
  /** Suite titles and the test title joined with ` > `: `math > division > divides`. */
  name: string;
  /** As the report writes it (relative or absolute); the gate runner makes it project-relative. */
  file: string | null;
  /** 1-based: the failing assertion's line when the report has one, else the test's. */
  line: number | null;
  /** The first lines of the failure message, without stack frames or escape sequences. */
  message: string;
  /** `failed`: an assertion did not hold. `errored`: the test could not run (a broken import, a crashed fixture, a bail-out). */
  outcome: 'failed' | 'errored';
}

export type TestFormat = 'junit' | 'tap' | 'vitest' | 'jest' | 'cargo';

/** Counts are of tests (leaves), never of suites; `total = passed + failed + errored + skipped`. */
export interface TestReport {
  format: TestFormat;
  total: number;
  passed: number;
  failed: number;
  errored: number;
  /** Skipped, ignored, pending and todo tests. */
  skipped: number;
  failures: FailedTest[];
}

export type CoverageFormat = 'lcov' | 'istanbul' | 'cobertura';

export interface FileCoverage {
  file: string;
  found: number;
  hit: number;
  /** `null` when the file has no instrumented lines. */
  percent: number | null;
}

/** Line coverage. */
export interface CoverageReport {
  format: CoverageFormat;
  /** 0..100, not rounded; `null` when the report counts no lines at all. */
  percent: number | null;
  /** Lines found and hit, when the report says (old cobertura files give only a rate). */
  found: number | null;
  hit: number | null;
  files: FileCoverage[];
}

export type LintFormat = 'eslint' | 'clippy';

export interface LintProblem {
  severity: 'error' | 'warning';
  file: string | null;
  line: number | null;
  column: number | null;
  /** `no-unused-vars`, `clippy::len_zero`; null for a parse error. */
  rule: string | null;
  message: string;
}

export interface LintReport {
  format: LintFormat;
  errors: number;
  warnings: number;
  problems: LintProblem[];
}

/**
 * Builds a TestReport, keeping `total` honest. Failed and errored counts default to the failures
 * listed; a format whose summary lines are the authority (cargo) passes its own.
 */
export function testReport(format: TestFormat, counts: { passed: number; skipped: number; failed?: number; errored?: number }, failures: FailedTest[]): TestReport {
  const failed = counts.failed ?? failures.filter((f) => f.outcome === 'failed').length;
  const errored = counts.errored ?? failures.filter((f) => f.outcome === 'errored').length;
  return { format, total: counts.passed + failed + errored + counts.skipped, passed: counts.passed, failed, errored, skipped: counts.skipped, failures };
}

export function lintReport(format: LintFormat, problems: LintProblem[]): LintReport {
  const errors = problems.filter((p) => p.severity === 'error').length;
  return { format, errors, warnings: problems.length - errors, problems };
}

export function percentOf(hit: number, found: number): number | null {
  return found === 0 ? null : (hit / found) * 100;
}
