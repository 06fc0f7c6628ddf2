import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../../src/ledger/ledger.js';
import { ledgerTotals } from '../../../src/ledger/metrics-queries.js';
import { buildRegistry } from '../../../src/metrics/registry.js';
import { runMetrics } from '../../../src/play/run-metrics.js';
import { replay, trackPlay } from '../../../src/play/tracker.js';

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/**
 * A run as the verification loop writes it: builder works, verification fails, the iteration is
 * rolled back and builder goes again; in review, cleo's call is retried once after an error.
 */
function loopRun(ledger: Ledger): string {
  const run = ledger.createRun({ program: 'prose/build.prose', programHash: 'h' });
  ledger.append(run.id, { type: 'play.spec', stages: [{ name: 'build', agents: ['builder'], timeoutMs: null, expect: [] }, { name: 'review', agents: ['cleo'], timeoutMs: null, expect: [] }], repository: null, branch: null });
  ledger.append(run.id, { type: 'stage.started', stage: 'build' });
  const first = ledger.createTask({ task: 'session:builder', runId: run.id, stage: 'build', agent: 'builder', status: 'running' });
  ledger.transition(first.id, 'succeeded');
  const verify = ledger.createTask({ task: 'verify unit', runId: run.id, stage: 'build', agent: null, status: 'running' });
  ledger.transition(verify.id, 'failed', { reason: '2 failing' });
  ledger.append(run.id, { type: 'rollback', target: 'checkpoint-1', undo: 'checkpoint-2' });
  const second = ledger.createTask({ task: 'session:builder', runId: run.id, stage: 'build', agent: 'builder', status: 'running' });
  ledger.transition(second.id, 'succeeded');
  ledger.append(run.id, { type: 'stage.finished', stage: 'build', status: 'succeeded' });
  ledger.append(run.id, { type: 'stage.started', stage: 'review' });
  const review = ledger.createTask({ task: 'session:cleo', runId: run.id, stage: 'review', agent: 'cleo', status: 'running' });
  ledger.append(run.id, { type: 'task.retry', taskId: review.id, attempt: 1, delayMs: 1000, error: 'HTTP 529' }, review.id);
  ledger.transition(review.id, 'succeeded');
  ledger.append(run.id, { type: 'stage.finished', stage: 'review', status: 'succeeded' });
  ledger.finishRun(run.id, 'succeeded', null);
  return run.id;
}

describe('retries per agent', () => {
  it('are the same in Prometheus, play metrics and the dashboard for one event stream, the verification loop\u2019s rollbacks included', async () => {
    dir = mkdtempSync(join(tmpdir(), 'choiros-retries-'));
    const ledger = Ledger.open(join(dir, 'ledger.db'));
    try {
      const runId = loopRun(ledger);
      const state = replay(runId, ledger.events({ runId }));
      const report = trackPlay(state, { now: Date.now() });
      // The dashboard: a row per stage, its agent and its Retries.
      expect(report.stages.map((s) => [s.name, s.agent, s.retries])).toEqual([
        ['build', 'builder', 1],
        ['review', 'cleo', 1],
      ]);
      const dashboard = report.stages.filter((s) => s.retries > 0).map((s) => ({ agent: s.agent, count: s.retries }));
      expect(ledgerTotals(ledger).agentRetries).toEqual(dashboard);
      expect(runMetrics(state, report).agents.filter((a) => a.retries > 0).map((a) => ({ agent: a.agent, count: a.retries }))).toEqual(dashboard);
      const text = await buildRegistry({ totals: ledgerTotals(ledger), activeByStage: new Map() }).metrics();
      expect(text).toContain('choiros_play_agent_retries_total{agent="builder"} 1');
      expect(text).toContain('choiros_play_agent_retries_total{agent="cleo"} 1');
    } finally {
      ledger.close();
    }
  });
});
