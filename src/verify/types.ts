/**
 * The values programs see. A `verify` statement returns a `Verdict`; each gate in it a
 * `GateVerdict`. Plain data (JSON-safe: `null`, never `undefined`), so the interpreter can hand it
 * to a program, write it to the run folder and keep it in the ledger as it is.
 */

export type GateStatus = 'pass' | 'fail' | 'flaky' | 'error';

/** One thing that kept a gate from passing. */
export interface Failure {
  gate: string;
  /**
   * `test`: a failing test. `lint`: a lint error, or a warning when there are more than
   * `max_warnings`. `gate`: anything else — coverage under `min`, a pass rate under
   * `test_threshold`, an exit code no report explains, a report missing or stale, a timeout.
   */
  kind: 'test' | 'lint' | 'gate';
  /** The test's full name (`math > division > divides`); null unless `kind` is `test`. */
  test: string | null;
  /** Relative to the project root when inside it. */
  file: string | null;
  line: number | null;
  /** Short: the first lines of the assertion message, `rule: message` for lint, the reason for a gate. */
  message: string;
}

export interface TestTotals {
  total: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
}

/** One run of the gate's command and what it showed. */
export interface Attempt {
  status: 'pass' | 'fail' | 'error';
  /** What the exit meant: `exited 0`, `exited 137 (killed)`, `timed out`. */
  exit: string;
  durationMs: number;
  /** Why it did not pass, one short sentence each; empty on a pass. */
  reasons: string[];
  /** Capped at 50 per gate; `tests` has the true counts. */
  failures: Failure[];
  tests: TestTotals | null;
  /** The lowest line coverage among the gate's coverage reports, 0..100. */
  coverage: number | null;
  warnings: number | null;
  lintErrors: number | null;
  /** Output lines that look like errors, capped at 20; empty on a pass. */
  excerpt: string[];
}

export interface GateVerdict {
  gate: string;
  /**
   * `pass`; `fail`; `flaky`: failed, then passed when run again on the same tree; `error`: no
   * answer (did not start, timed out, canceled, a report missing, stale or unreadable, a threshold
   * with nothing to check it against). Never a pass unless the gate showed it passed.
   */
  status: GateStatus;
  /** `pass`, or `flaky` with `flaky_is_pass: true`. */
  passed: boolean;
  command: string;
  /** Every attempt, the re-run included. */
  durationMs: number;
  attempts: Attempt[];
  /** From the last attempt, or for `flaky` the passing one. */
  tests: TestTotals | null;
  coverage: number | null;
  warnings: number | null;
  lintErrors: number | null;
  /** From the last attempt that did not pass (for `flaky`, what failed the first time). */
  failures: Failure[];
  reasons: string[];
  excerpt: string[];
  logFile: string;
}

/** What `verify unit, coverage, lint` returns: every named gate, combined. */
export interface Verdict {
  /** Every gate passed (a flaky gate only with `flaky_is_pass: true`). */
  passed: boolean;
  /** The worst gate status: error, then fail, then flaky, then pass. */
  status: GateStatus;
  /** Some gate failed and then passed on its re-run, whether or not that counts as a pass. */
  flaky: boolean;
  /** Every gate's failures, in gate order; empty when `passed`. */
  failures: Failure[];
  /** The lowest coverage among the gates that measured it, or null. */
  coverage: number | null;
  /** Lint warnings summed over the gates that counted them, or null when none did. */
  warnings: number | null;
  /** Compact text for an agent's prompt: failing gates, first failing tests, first error lines. */
  digest: string;
  /** Milliseconds, all gates. */
  duration: number;
  /** A stable hash of what failed (see fingerprint.ts); null when `passed`. */
  fingerprint: string | null;
  gates: GateVerdict[];
}
