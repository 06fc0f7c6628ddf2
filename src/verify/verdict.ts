import { formatDuration } from '../config/units.js';
import { failureFingerprint } from './fingerprint.js';
import { formatPercent } from './judge.js';
import { clip } from './parsers/text.js';
import type { Failure, GateStatus, GateVerdict, Verdict } from './types.js';

export type { Failure, GateStatus, GateVerdict, Verdict } from './types.js';

const SEVERITY: Record<GateStatus, number> = { pass: 0, flaky: 1, fail: 2, error: 3 };

/**
 * Combines gate verdicts into the value a `verify` statement returns. `durationMs` is the wall
 * clock of the whole verification when the caller measured it; otherwise the gates' sum.
 */
export function combineVerdicts(gates: readonly GateVerdict[], durationMs?: number): Verdict {
  const passed = gates.every((g) => g.passed);
  const status = gates.reduce<GateStatus>((worst, g) => (SEVERITY[g.status] > SEVERITY[worst] ? g.status : worst), 'pass');
  const coverages = gates.flatMap((g) => (g.coverage === null ? [] : [g.coverage]));
  const warnings = gates.flatMap((g) => (g.warnings === null ? [] : [g.warnings]));
  return {
    passed,
    status,
    flaky: gates.some((g) => g.status === 'flaky'),
    failures: gates.filter((g) => !g.passed).flatMap((g) => g.failures),
    coverage: coverages.length === 0 ? null : Math.min(...coverages),
    warnings: warnings.length === 0 ? null : warnings.reduce((a, b) => a + b, 0),
    digest: verdictDigest(gates),
    duration: Math.round(durationMs ?? gates.reduce((sum, g) => sum + g.durationMs, 0)),
    fingerprint: failureFingerprint(gates),
    gates: [...gates],
  };
}

const DIGEST_FAILURES = 5;
const DIGEST_ERROR_LINES = 5;
const DIGEST_MAX_CHARS = 4000;

/**
 * Compact text for an agent's prompt and the run folder: one line per gate, then for each gate
 * that did not pass its first failures with file:line and its first error lines.
 *
 *     verify failed: unit fail, lint fail; coverage pass
 *     unit: fail: 2 of 14 tests failed (exited 1, 3.2s)
 *       - math > subtracts (src/math.test.js:9): expected 1 to be 3
 *       first error lines:
 *         FAIL src/math.test.js > math > subtracts
 */
export function verdictDigest(gates: readonly GateVerdict[]): string {
  if (gates.length === 0) return 'verify: no gates ran';
  const failing = gates.filter((g) => !g.passed);
  const list = (of: readonly GateVerdict[]) => of.map((g) => `${g.gate} ${g.status}`).join(', ');
  const lines = [failing.length === 0 ? `verify passed: ${list(gates)}` : `verify failed: ${list(failing)}${failing.length < gates.length ? `; ${list(gates.filter((g) => g.passed))}` : ''}`];
  for (const gate of gates) lines.push(...gateDigest(gate));
  return clip(lines.join('\n'), DIGEST_MAX_CHARS);
}

function gateDigest(gate: GateVerdict): string[] {
  // A flaky gate is described by the attempt that failed.
  const exit = (gate.status === 'flaky' ? gate.attempts[0] : gate.attempts.at(-1))?.exit;
  const said = gate.status === 'pass' ? passSummary(gate) : gate.reasons;
  const details = [exit !== undefined && !gate.reasons.some((r) => r.includes(exit)) ? exit : undefined, formatDuration(gate.durationMs)].filter((d) => d !== undefined);
  const head = `${gate.gate}: ${gate.status}${said.length > 0 ? ` — ${said.join('; ')}` : ''} (${details.join(', ')})`;
  if (gate.status === 'pass') return [head];
  const shown = gate.failures.filter((f) => f.kind !== 'gate').slice(0, DIGEST_FAILURES);
  const hidden = gate.failures.filter((f) => f.kind !== 'gate').length - shown.length;
  const errors = gate.excerpt.slice(0, DIGEST_ERROR_LINES);
  return [
    head,
    ...shown.map(failureLine),
    ...(hidden > 0 ? [`  … and ${hidden} more`] : []),
    ...(errors.length > 0 ? ['  first error lines:', ...errors.map((e) => `    ${e}`)] : []),
    ...(gate.status === 'flaky' ? [`  (${gate.passed ? 'counted as a pass: flaky_is_pass' : 'counted as a failure'})`] : []),
  ];
}

function passSummary(gate: GateVerdict): string[] {
  return [
    gate.tests === null ? undefined : `${gate.tests.passed} of ${gate.tests.total} tests passed${gate.tests.skipped > 0 ? ` (${gate.tests.skipped} skipped)` : ''}`,
    gate.coverage === null ? undefined : `coverage ${formatPercent(gate.coverage)}`,
    gate.warnings === null ? undefined : `${gate.warnings} lint ${gate.warnings === 1 ? 'warning' : 'warnings'}`,
  ].filter((m) => m !== undefined);
}

function failureLine(f: Failure): string {
  const where = f.file === null ? '' : f.line === null ? f.file : `${f.file}:${f.line}`;
  const message = f.message.replace(/\n/g, ' / ');
  if (f.kind === 'test') return `  - ${f.test ?? ''}${where === '' ? '' : ` (${where})`}: ${message}`;
  return `  - ${where === '' ? '' : `${where} `}${message}`;
}
