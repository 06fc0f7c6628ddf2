import { describe, expect, it } from 'vitest';
import type { Run, Task } from '../../../src/ledger/model.js';
import { replay, trackPlay } from '../../../src/play/tracker.js';
import { monitorModel } from '../../../src/ui/monitor-model.js';
import { MIN, Stream, stage } from '../play/stream.js';

const run = (id: string, status: Run['status'], startedAt: string, finishedAt: string | null): Run => ({ id, program: 'prose/build.prose', programHash: 'h', args: {}, mode: null, status, reason: null, startedAt, finishedAt, pid: null, control: null, origin: 'choiros' });

describe('the monitor model', () => {
  it('turns a run into gauge, bars, sparkline, table rows and log lines', () => {
    const s = new Stream('run-1').start([stage('implementation'), stage('review')]).ran('implementation', 'rex', 0, 12);
    s.at(12).add({ type: 'stage.started', stage: 'review' });
    s.at(15);
    // A review took a minute before: three minutes into this one it is at risk.
    const report = trackPlay(replay('run-1', s.events), { now: s.now(), history: new Map([['review', [MIN]]]) });
    const tasks = [{ durationMs: 90_000 }, { durationMs: null }, { durationMs: 30_000 }] as Task[];
    const model = monitorModel({
      runs: [run('run-1', 'running', '2026-11-22T10:00:00.000Z', null), run('run-0', 'succeeded', '2026-11-22T08:00:00.000Z', '2026-11-22T08:40:00.000Z')],
      report,
      tasks,
      health: { score: 86.5, status: 'healthy' },
      events: s.events.slice(-3),
      now: s.now(),
    });
    expect(model.title).toBe('choiros: run-1 running, 97%, AT RISK');
    expect(model.health).toEqual({ percent: 87, label: 'Health 86.5 (healthy)' });
    expect(model.stages).toEqual({ titles: ['implementa', 'review'], data: [12, 3], unit: 'min' });
    expect(model.iterations).toEqual({ title: 'task seconds (2)', data: [90, 30] });
    expect(model.runs.data).toEqual([
      ['1', 'running', 'prose/build.prose', '15m 00s'],
      ['0', 'succeeded', 'prose/build.prose', '40m 00s'],
    ]);
    expect(model.log).toEqual(['10:12:00 task 1 running → succeeded', '10:12:00 stage implementation succeeded', '10:12:00 stage review started']);
  });

  it('says when there is no run and no health score yet', () => {
    const model = monitorModel({ runs: [], report: null, tasks: [], health: null, events: [], now: 0 });
    expect(model.title).toBe('choiros: no runs yet');
    expect(model.health).toEqual({ percent: 0, label: 'Health: not measured' });
  });

  it('shows short stages in seconds, where minutes would all read 0', () => {
    const s = new Stream('run-2').start([stage('setup'), stage('build')]).ran('setup', 'rex', 0, 0.5).ran('build', 'rex', 0.5, 1.5);
    const report = trackPlay(replay('run-2', s.events), { now: s.now() });
    const model = monitorModel({ runs: [], report, tasks: [], health: null, events: [], now: s.now() });
    expect(model.stages).toEqual({ titles: ['setup', 'build'], data: [30, 60], unit: 's' });
  });
});
