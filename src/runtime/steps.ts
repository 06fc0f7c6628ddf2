import { AbortError } from '../errors.js';
import { StepWatch } from './activity.js';
import type { RunContext } from './context.js';
import { ProseError, RunStop, type Site } from './errors.js';
import type { StepKind } from './events.js';
import { keyOf, site, type Frame } from './frame.js';
import type { Span } from '../prose/index.js';
import { phaseLimitReached } from './phase-limit.js';
import type { AgentCallIo, StepDetail, StepRecord } from './ports.js';
import { fileSafe } from './step-key.js';
import { decodeValue, encodeValue, type Value } from './values.js';

/** How a step is named in the ledger and shown. */
export interface StepSpec {
  kind: StepKind;
  /** The task name in the ledger: `session builder`, `exec npm ci`. */
  task: string;
  agent: string | null;
  inputs: unknown;
  /** One line for people: the prompt's start, the command. */
  detail: string;
}

/**
 * The boundary before every step's effect: a cancelled path or run ends here, a pause request, a
 * gate waiting elsewhere, a passed deadline or a passed phase `timeout:` stops the run here, so no
 * step is ever cut in half by a request.
 */
export function beforeStep(rc: RunContext, frame: Frame): void {
  if (frame.signal.aborted) throw cancelled(frame.signal);
  if (rc.stopping !== undefined) throw rc.stopping;
  const now = rc.ports.clock.now();
  const late = rc.loop.deadlineReached(now);
  if (late !== undefined) {
    rc.stopping = new RunStop('limit', late);
    throw rc.stopping;
  }
  const overPhase = phaseLimitReached(rc, now);
  if (overPhase !== undefined) throw overPhase;
  const request = rc.ports.control?.requested();
  if (request === 'cancel') {
    const stop = new RunStop('cancelled', 'cancelled by a request to the ledger');
    rc.abort(stop);
    throw stop;
  }
  if (request === 'pause') {
    rc.stopping = new RunStop('paused', 'paused by a request to the ledger');
    throw rc.stopping;
  }
}

export function cancelled(signal: AbortSignal): RunStop {
  return signal.reason instanceof RunStop ? signal.reason : new RunStop('cancelled', 'cancelled');
}

/** The value an earlier interpretation recorded for this step, announced as replayed. */
export function replay(rc: RunContext, key: string, spec: StepSpec): Value | undefined {
  const recorded = rc.ports.journal.recorded(key);
  if (recorded?.status !== 'succeeded' && recorded?.status !== 'failed') return undefined;
  rc.emit({ type: 'step.replayed', step: key, kind: spec.kind, label: spec.task });
  return decodeValue(recorded.value);
}

/** One attempt of a step: a ledger task written before the effect, its output watched while it runs. */
export class Attempt {
  readonly record: StepRecord;
  readonly io: AgentCallIo;
  readonly logName: string;
  private readonly watch: StepWatch;
  private readonly started: number;
  private waiting = false;

  constructor(
    private readonly rc: RunContext,
    frame: Frame,
    readonly key: string,
    private readonly spec: StepSpec,
    attempt: number,
    /** A task recorded earlier to finish instead of a new one (a gate that waited for approval). */
    reopened?: StepRecord,
  ) {
    // A step a crash interrupted was attempted already: its attempts number on, so the ledger keeps each.
    const number = reopened === undefined ? attempt + (rc.ports.journal.priorAttempts?.(key) ?? 0) : attempt;
    this.record = reopened ?? rc.ports.journal.start({ step: key, kind: spec.kind, task: spec.task, stage: frame.phase, agent: spec.agent, attempt: number, inputs: spec.inputs });
    this.logName = this.record.taskId === null ? `${fileSafe(key)}-${attempt}-${spec.kind}` : `${this.record.taskId}-${spec.kind}`;
    this.started = rc.ports.clock.now();
    rc.emit({ type: 'step.started', step: key, kind: spec.kind, label: spec.task, agent: spec.agent, attempt: number, phase: frame.phase, detail: spec.detail });
    this.watch = new StepWatch(this.record, (lines) => rc.emit({ type: 'step.output', step: key, lines }), rc.ports.sampler, rc.limits.activityIntervalMs);
    const watch = this.watch;
    const record = this.record;
    this.io = {
      signal: frame.signal,
      onOutput: (chunk) => watch.output(chunk),
      onSpawn: (pid) => {
        watch.spawned(pid);
        record.spawned?.(pid);
      },
    };
  }

  async succeed(value: Value, summary: string, detail: StepDetail & { meta?: Record<string, unknown> } = {}): Promise<void> {
    await this.watch.stop();
    this.record.succeed(encodeValue(value), detail);
    this.finished('succeeded', summary);
  }

  async fail(reason: string, detail: StepDetail = {}): Promise<void> {
    await this.watch.stop();
    const skipped = this.io.signal.aborted;
    // Ended by a cap (the deadline) rather than by a person: the ledger says which.
    const why = skipped ? (cancelled(this.io.signal).reason === 'limit' ? 'limit' : 'cancelled') : reason;
    this.record.fail(why, { ...detail, status: skipped ? 'skipped' : 'failed' });
    this.finished('failed', why);
  }

  /**
   * The step ran to its end and its value says it failed (a failing verification): the task is
   * failed, with the value kept — the program goes on with it, and a resumed run replays it.
   * Ended by a cap or a person instead, it is recorded as `fail` records it.
   */
  async failWith(value: Value, reason: string, summary: string, detail: StepDetail = {}): Promise<void> {
    if (this.io.signal.aborted) return this.fail(reason, detail);
    await this.watch.stop();
    this.record.fail(reason, { ...detail, value: encodeValue(value) });
    this.finished('failed', summary);
  }

  /** Records the task waiting for approval while the step goes on (a gate asked at a terminal); once. */
  markWaiting(): void {
    if (this.waiting) return;
    this.waiting = true;
    this.record.awaitApproval();
  }

  async awaitApproval(): Promise<void> {
    await this.watch.stop();
    this.markWaiting();
    this.finished('awaiting_approval', 'awaiting approval');
  }

  private finished(status: 'succeeded' | 'failed' | 'awaiting_approval', summary: string): void {
    this.rc.emit({ type: 'step.finished', step: this.key, kind: this.spec.kind, status, durationMs: this.rc.ports.clock.now() - this.started, summary });
  }
}

/** A port's user-fixable failure (an unknown gate, a refused rollback) becomes an error the program can catch, at the statement `at`. */
export function asProseError(error: unknown, kind: StepKind, key: string, at?: Site): unknown {
  if (error instanceof ProseError) {
    error.step ??= key;
    return error;
  }
  if (error instanceof AbortError) {
    const converted = new ProseError(kind, error.message, at);
    converted.step = key;
    return converted;
  }
  return error;
}

/**
 * A step with one attempt (verify, checkpoint, rollback): replayed when recorded, else run and
 * recorded. `work` returns the value and what the ledger keeps of it.
 */
export async function singleStep(rc: RunContext, frame: Frame, at: Span, spec: StepSpec, work: (attempt: Attempt) => Promise<{ value: Value; summary: string; meta?: Record<string, unknown> }>): Promise<Value> {
  const key = keyOf(frame, at);
  beforeStep(rc, frame);
  const recorded = replay(rc, key, spec);
  if (recorded !== undefined) return recorded;
  const attempt = new Attempt(rc, frame, key, spec, 1);
  let result: { value: Value; summary: string; meta?: Record<string, unknown> };
  try {
    result = await work(attempt);
  } catch (error) {
    await attempt.fail(error instanceof Error ? error.message : String(error));
    if (frame.signal.aborted) throw cancelled(frame.signal);
    throw asProseError(error, spec.kind, key, site(frame, at));
  }
  await attempt.succeed(result.value, result.summary, result.meta === undefined ? {} : { meta: result.meta });
  return result.value;
}
