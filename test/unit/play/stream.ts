import type { LedgerEvent, StageSpec, StoredEvent } from '../../../src/ledger/model.js';

export const T0 = Date.parse('2026-11-22T10:00:00.000Z');
export const MIN = 60_000;

export function stage(name: string, overrides: Partial<StageSpec> = {}): StageSpec {
  return { name, agents: [name === 'review' ? 'cleo' : 'rex'], timeoutMs: null, expect: [], ...overrides };
}

/** Builds a synthetic event stream on a hand-driven clock, as a runner would write it. */
export class Stream {
  readonly events: StoredEvent[] = [];
  private clock = T0;
  private taskId = 0;

  constructor(readonly runId = 'run-1') {}

  at(minutes: number): this {
    this.clock = T0 + minutes * MIN;
    return this;
  }

  now(): number {
    return this.clock;
  }

  add(event: LedgerEvent, taskId: number | null = null): this {
    this.events.push({ seq: this.events.length + 1, runId: this.runId, taskId, time: new Date(this.clock).toISOString(), event });
    return this;
  }

  start(stages: StageSpec[], program = 'prose/build.prose'): this {
    return this.add({ type: 'run.started', program, args: {}, mode: 'autonomous' }).add({ type: 'play.spec', stages, repository: 'acme/app', branch: 'feature/login' });
  }

  task(stageName: string, agent: string, status: 'running' | 'queued' = 'running'): number {
    const id = ++this.taskId;
    this.add({ type: 'task.created', taskId: id, task: `session:${agent}`, status, stage: stageName, agent }, id);
    return id;
  }

  to(taskId: number, from: LedgerEvent & { type: 'task.transition' } extends { from: infer F } ? F : never, to: typeof from, reason: string | null = null): this {
    return this.add({ type: 'task.transition', taskId, from, to, reason }, taskId);
  }

  /** A stage run start to end by one agent task that succeeds. */
  ran(name: string, agent: string, fromMin: number, toMin: number): this {
    this.at(fromMin).add({ type: 'stage.started', stage: name });
    const id = this.task(name, agent);
    this.at(toMin).to(id, 'running', 'succeeded').add({ type: 'stage.finished', stage: name, status: 'succeeded' });
    return this;
  }
}
