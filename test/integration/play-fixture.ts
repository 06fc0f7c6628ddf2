import { join } from 'node:path';
import { Ledger } from '../../src/ledger/ledger.js';
import type { StageSpec } from '../../src/ledger/model.js';

export const MIN = 60_000;

export const STAGES: StageSpec[] = [
  { name: 'implementation', agents: ['rex'], timeoutMs: 60 * MIN, expect: ['src/login.ts'] },
  { name: 'quality', agents: ['cleo'], timeoutMs: null, expect: [] },
  { name: 'testing', agents: ['tess'], timeoutMs: null, expect: [] },
];

/** A ledger on a hand-driven clock, in a project's .choiros/ as choiros opens it. */
export class SeededLedger {
  clock: number;
  readonly ledger: Ledger;

  constructor(root: string, start = Date.parse('2026-11-20T09:00:00.000Z')) {
    this.clock = start;
    this.ledger = Ledger.open(join(root, '.choiros', 'ledger.db'), { now: () => new Date(this.clock).toISOString() });
  }

  at(ms: number): this {
    this.clock = ms;
    return this;
  }

  /** Runs the stage start to end with one agent task that succeeds, moving the clock. */
  stage(runId: string, spec: StageSpec, minutes: number, retries = 0): this {
    const l = this.ledger;
    l.append(runId, { type: 'stage.started', stage: spec.name });
    for (let attempt = 0; attempt <= retries; attempt++) {
      const task = l.createTask({ task: `session:${spec.agents[0] ?? 'agent'}`, runId, stage: spec.name, agent: spec.agents[0] ?? null, status: 'running', attempt: attempt + 1 });
      this.clock += (minutes * MIN) / (retries + 1);
      if (attempt < retries) {
        l.transition(task.id, 'failed', { reason: 'exit 1', logExcerpt: 'npm ERR! test failed' });
        l.append(runId, { type: 'task.retry', taskId: task.id, attempt: attempt + 2, delayMs: 1000, error: 'exit 1' }, task.id);
      } else l.transition(task.id, 'succeeded', { outputsUri: 'https://github.com/acme/app/pull/42', logExcerpt: 'done' });
    }
    l.append(runId, { type: 'stage.finished', stage: spec.name, status: 'succeeded' });
    return this;
  }

  /** A finished run of the program, its stages taking these minutes. */
  pastRun(minutes: number[]): string {
    const run = this.ledger.createRun({ program: 'prose/build.prose', programHash: 'h1' });
    this.ledger.append(run.id, { type: 'play.spec', stages: STAGES, repository: 'acme/app', branch: 'pr/42' });
    STAGES.forEach((s, i) => this.stage(run.id, s, minutes[i] ?? 1));
    this.ledger.finishRun(run.id, 'succeeded');
    this.clock += 60 * MIN;
    return run.id;
  }

  /** Three earlier runs (medians 20m, 10m, 20m), then a run in its second stage. */
  liveRun(): string {
    this.pastRun([10, 10, 20]);
    this.pastRun([20, 5, 20]);
    this.pastRun([30, 15, 20]);
    const run = this.ledger.createRun({ program: 'prose/build.prose', programHash: 'h1', pid: process.pid });
    this.ledger.append(run.id, { type: 'play.spec', stages: STAGES, repository: 'acme/app', branch: 'pr/42' });
    this.stage(run.id, STAGES[0] as StageSpec, 20, 1);
    this.ledger.append(run.id, { type: 'stage.started', stage: 'quality' });
    const task = this.ledger.createTask({ task: 'session:cleo', runId: run.id, stage: 'quality', agent: 'cleo', status: 'running' });
    this.clock += 5 * MIN;
    this.ledger.append(run.id, { type: 'agent.output', taskId: task.id, lines: ['reviewing src/login.ts'] }, task.id);
    return run.id;
  }

  close(): void {
    this.ledger.close();
  }
}
