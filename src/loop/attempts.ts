/**
 * The verifications of a run, read back from the ledger, and which one came closest: the attempt
 * a stopped run keeps as `refs/choiros/best/<run>`. Pure.
 */
import type { Task } from '../ledger/model.js';
import { decodeValue, Tagged } from '../runtime/values.js';

export interface AttemptFacts {
  attempt: number;
  taskId: number;
  passed: boolean;
  status: string;
  /** Failing tests (from the gates' counts) or, without counts, the failures listed. */
  failing: number;
  coverage: number | null;
  warnings: number | null;
  flakyGates: string[];
  fingerprint: string | null;
  /** The checkpoint holding the tree it judged (failed attempts). */
  candidate: { name: string; commit: string } | null;
  /** The first line of its digest. */
  headline: string;
  digest: string;
  checks: { status: string; changes: string[] };
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** How much failed: per failing gate, its failing tests or listed failures, at least one. */
function failingOf(fields: Record<string, unknown>): number {
  const gates = Array.isArray(fields.gates) ? (fields.gates as Array<{ gate?: unknown; passed?: boolean; tests?: { failed?: number; errored?: number } | null }>) : [];
  const failures = Array.isArray(fields.failures) ? (fields.failures as Array<{ gate?: unknown }>) : [];
  const failing = gates.filter((g) => g.passed !== true);
  if (failing.length === 0) return failures.length;
  return failing.reduce((sum, g) => {
    const counted = g.tests === null || g.tests === undefined ? 0 : (g.tests.failed ?? 0) + (g.tests.errored ?? 0);
    return sum + Math.max(1, counted, failures.filter((f) => f.gate === g.gate).length);
  }, 0);
}

/** One verify task's facts, or undefined when it holds no verdict. */
export function attemptOf(task: Task, index: number): AttemptFacts | undefined {
  const value = decodeValue((task.outputs as { value?: unknown } | null)?.value ?? null);
  if (!(value instanceof Tagged) || value.tag !== 'verify') return undefined;
  const fields = value.fields as Record<string, unknown>;
  const candidate = fields.candidate as { name?: unknown; commit?: unknown } | null | undefined;
  const checks = (fields.checks ?? { status: 'unchanged', changes: [] }) as { status?: unknown; changes?: Array<{ text?: unknown }> };
  const gates = Array.isArray(fields.gates) ? (fields.gates as Array<{ gate?: unknown; status?: unknown }>) : [];
  const digest = typeof value.text === 'string' ? value.text : '';
  return {
    attempt: num(fields.attempt) ?? index + 1,
    taskId: task.id,
    passed: value.primary === true,
    status: typeof fields.status === 'string' ? fields.status : value.primary === true ? 'pass' : 'fail',
    failing: failingOf(fields),
    coverage: num(fields.coverage),
    warnings: num(fields.warnings),
    flakyGates: gates.filter((g) => g.status === 'flaky').map((g) => String(g.gate)),
    fingerprint: typeof fields.fingerprint === 'string' ? fields.fingerprint : null,
    candidate: candidate !== null && candidate !== undefined && typeof candidate.name === 'string' && typeof candidate.commit === 'string' ? { name: candidate.name, commit: candidate.commit } : null,
    headline: digest.split('\n')[0] ?? '',
    digest,
    checks: { status: typeof checks.status === 'string' ? checks.status : 'unchanged', changes: (checks.changes ?? []).map((c) => String(c.text ?? '')) },
  };
}

/** Every verification of a run that reached a verdict (its task succeeded or failed with one), in order. */
export function attemptsOf(tasks: readonly Task[]): AttemptFacts[] {
  return tasks.filter((t) => t.task.startsWith('verify') && (t.status === 'succeeded' || t.status === 'failed')).flatMap((t, i) => attemptOf(t, i) ?? []);
}

const RANK: Record<string, number> = { pass: 0, flaky: 1, fail: 2, error: 3 };

/**
 * The attempt that came closest among those whose tree was kept: the best status (pass, flaky,
 * fail, error), then the fewest failing tests, the highest coverage, the fewest warnings, and
 * the latest.
 */
export function bestAttempt(attempts: readonly AttemptFacts[]): AttemptFacts | undefined {
  const kept = attempts.filter((a) => a.candidate !== null);
  const score = (a: AttemptFacts): number[] => [RANK[a.status] ?? 4, a.failing, -(a.coverage ?? -1), a.warnings ?? 0, -a.attempt];
  return [...kept].sort((a, b) => {
    const [x, y] = [score(a), score(b)];
    for (let i = 0; i < x.length; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  })[0];
}
