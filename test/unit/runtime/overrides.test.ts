import { describe, expect, it } from 'vitest';
import type { LedgerEvent, StoredEvent } from '../../../src/ledger/model.js';
import { scanOverrides } from '../../../src/runtime/overrides.js';

const spec: LedgerEvent = {
  type: 'play.spec',
  stages: ['a', 'b', 'c', 'd'].map((name) => ({ name, agents: [], timeoutMs: null, expect: [] })),
  repository: null,
  branch: null,
};

function events(...list: LedgerEvent[]): StoredEvent[] {
  return [spec, ...list].map((event, i) => ({ seq: i + 1, runId: 'r', taskId: null, time: '2026-01-01T00:00:00.000Z', event }));
}

const started = (stage: string): LedgerEvent => ({ type: 'stage.started', stage });
const finished = (stage: string, status: 'succeeded' | 'failed' | 'skipped' = 'succeeded'): LedgerEvent => ({ type: 'stage.finished', stage, status });
const task = (taskId: number, stage: string): LedgerEvent => ({ type: 'task.created', taskId, task: 't', status: 'running', stage, agent: null });
const admin = (action: 'advance' | 'reset', stage: string): LedgerEvent => ({ type: 'admin', action, stage, by: null });
const judged = (site: string): LedgerEvent => ({ type: 'judgement', site, iteration: 0, question: 'q', answer: 'true' });

describe('what admin overrides mean for the runner', () => {
  it('means nothing without one', () => {
    const scan = scanOverrides(events(started('a'), task(1, 'a'), finished('a'), started('b')));
    expect(scan).toMatchObject({ succeeded: new Set(['a']), passedOver: new Set(), droppedTasks: new Set(), lastAdminSeq: 0 });
  });

  it('passes over the stages before an advance that have not succeeded, failed or stopped ones included', () => {
    const scan = scanOverrides(events(started('a'), finished('a'), started('b'), finished('b', 'failed'), admin('advance', 'd')));
    expect([...scan.passedOver]).toEqual(['b', 'c']);
    expect(scan.lastAdminSeq).toBe(6);
  });

  it('counts a stage a live run finished after the advance as succeeded, not passed over', () => {
    const scan = scanOverrides(events(started('a'), admin('advance', 'c'), finished('a'), finished('b', 'skipped')));
    expect([...scan.passedOver]).toEqual(['b']);
    expect(scan.skipped).toEqual(new Set(['b']));
  });

  it('drops what the reset stage and the later ones recorded before the reset, and keeps what came before them', () => {
    const scan = scanOverrides(events(started('a'), task(1, 'a'), finished('a'), started('b'), task(2, 'b'), judged('7:3'), finished('b'), started('c'), task(3, 'c'), admin('reset', 'b')));
    expect(scan.droppedTasks).toEqual(new Set([2, 3]));
    expect(scan.droppedJudgements).toEqual(new Set(['7:3@0']));
    expect(scan.succeeded).toEqual(new Set(['a']));
  });

  it('does not count the end of a stage the reset caught going, nor replay what it did after the reset', () => {
    const scan = scanOverrides(events(started('a'), task(1, 'a'), admin('reset', 'a'), task(2, 'a'), finished('a'), started('a'), task(3, 'a'), finished('a')));
    expect(scan.droppedTasks).toEqual(new Set([1, 2]));
    expect(scan.succeeded).toEqual(new Set(['a']));
  });

  it('keeps the stages an earlier advance passed over when a reset goes back to a later stage, and limits the advance to it', () => {
    const scan = scanOverrides(events(started('a'), finished('a', 'failed'), admin('advance', 'd'), finished('a', 'skipped'), finished('b', 'skipped'), finished('c', 'skipped'), started('d'), admin('reset', 'c')));
    expect([...scan.passedOver]).toEqual(['a', 'b']);
    expect(scan.skipped).toEqual(new Set(['a', 'b']));
  });

  it('takes a judgement made again after the reset', () => {
    const scan = scanOverrides(events(started('b'), judged('7:3'), admin('reset', 'b'), started('b'), judged('7:3')));
    expect(scan.droppedJudgements).toEqual(new Set());
  });
});
