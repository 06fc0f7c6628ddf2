import type { EarlierAttempt } from './ports.js';
import { isArray, isObject, Tagged, type Value } from './values.js';

/** The same failure this many times in a row stops the loop and asks for a human. */
export const SAME_FAILURE_LIMIT = 3;

/** The hard caps of a run (`max_iterations`, `deadline`), from run arguments or choiros.yaml. */
export interface Caps {
  /** Failed verifications in a row before no agent may start again. */
  maxIterations?: number | undefined;
  /** On the clock port's scale: no step starts at or after it. */
  deadline?: number | undefined;
  /** How the deadline was written (`07:00`), for messages. */
  deadlineText?: string | undefined;
}

interface Verification {
  attempt: number;
  passed: boolean;
  fingerprint: string | null;
  summary: string;
  candidate: string | null;
}

const SUMMARY_LINES = 4;

function field(value: Value, name: string): Value {
  return value instanceof Tagged ? (value.fields[name] ?? null) : null;
}

/**
 * What the agentic loop remembers across iterations: every verification (for the next digest's
 * earlier attempts), the failures in a row since the last pass (the `max_iterations` cap), how
 * often each failure fingerprint came back (three times: ask a human), and the changes to the
 * checks a human accepted. Pure; fed by every `verify` the run executes or replays, so a resumed
 * run rebuilds it exactly.
 */
export class LoopState {
  private readonly verifications: Verification[] = [];
  private failedInARow = 0;
  private readonly repeats = new Map<string, number>();
  readonly acceptedChecks = new Set<string>();

  constructor(readonly caps: Caps = {}) {}

  /** The number the next verification gets. */
  nextAttempt(): number {
    return this.verifications.length + 1;
  }

  /** Earlier verifications, oldest first, as the next digest shows them. */
  earlier(): EarlierAttempt[] {
    return this.verifications.map((v) => ({ attempt: v.attempt, passed: v.passed, summary: v.summary, candidate: v.candidate }));
  }

  /** Records a verification's value (run now or replayed); returns how many times its failure has now been seen in a row of failures. */
  verified(value: Value): number {
    const passed = value instanceof Tagged ? value.primary === true : false;
    const fingerprint = field(value, 'fingerprint');
    const candidate = field(value, 'candidate');
    const digest = field(value, 'digest');
    const attempt = field(value, 'attempt');
    this.verifications.push({
      attempt: typeof attempt === 'number' ? attempt : this.nextAttempt(),
      passed,
      fingerprint: typeof fingerprint === 'string' ? fingerprint : null,
      summary: typeof digest === 'string' ? digest.split('\n').slice(0, SUMMARY_LINES).join('\n') : passed ? 'passed' : 'failed',
      candidate: isObject(candidate) && typeof candidate.name === 'string' ? candidate.name : null,
    });
    this.accept(field(value, 'checks'));
    if (passed) {
      this.failedInARow = 0;
      this.repeats.clear();
      return 0;
    }
    this.failedInARow += 1;
    if (typeof fingerprint !== 'string') return 0;
    const seen = (this.repeats.get(fingerprint) ?? 0) + 1;
    this.repeats.set(fingerprint, seen);
    return seen;
  }

  /** A human said to keep trying: the failure counts from zero again. */
  forgive(fingerprint: string): void {
    this.repeats.delete(fingerprint);
  }

  /** Changes a verification's value says a human accepted. */
  private accept(checks: Value): void {
    const changes = isObject(checks) && checks.status === 'accepted' ? (checks.changes ?? null) : null;
    if (!isArray(changes)) return;
    for (const change of changes) if (isObject(change) && typeof change.key === 'string') this.acceptedChecks.add(change.key);
  }

  /** Why no agent may start now (`max_iterations` reached), if so. */
  iterationCap(): string | undefined {
    const max = this.caps.maxIterations;
    if (max === undefined || this.failedInARow < max) return undefined;
    return `max_iterations=${max} reached: verification failed ${this.failedInARow} time${this.failedInARow === 1 ? '' : 's'} in a row`;
  }

  /** Why no step may start at `now` (the deadline passed), if so. */
  deadlineReached(now: number): string | undefined {
    const { deadline, deadlineText } = this.caps;
    if (deadline === undefined || now < deadline) return undefined;
    return `the deadline${deadlineText === undefined ? '' : ` ${deadlineText}`} passed`;
  }
}
