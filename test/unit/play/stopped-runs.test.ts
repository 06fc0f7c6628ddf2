import { describe, expect, it } from 'vitest';
import { replay, trackPlay } from '../../../src/play/tracker.js';
import { reportJson } from '../../../src/play/json.js';
import { runMetrics } from '../../../src/play/run-metrics.js';
import { metricsLines } from '../../../src/ui/play-text.js';
import { MIN, Stream, stage } from './stream.js';

const stages = [stage('implementation'), stage('verification', { timeoutMs: 10 * MIN })];

function report(s: Stream, now: number) {
  const state = replay(s.runId, s.events);
  return { state, report: trackPlay(state, { now, history: new Map() }) };
}

describe('a run that stopped', () => {
  it('ends the duration of the stage it stopped in when it stopped, however long ago that was', () => {
    const s = new Stream().start(stages).ran('implementation', 'rex', 0, 1);
    s.at(1).add({ type: 'stage.started', stage: 'verification' });
    const gate = s.task('verification', 'cleo');
    s.at(2).to(gate, 'running', 'awaiting_approval').add({ type: 'run.finished', status: 'awaiting_approval', reason: null });
    const { report: r } = report(s, s.now() + 180 * MIN);
    expect(r.elapsedMs).toBe(2 * MIN);
    expect(r.stages.map((x) => [x.name, x.status, x.durationMs])).toEqual([
      ['implementation', 'done', 1 * MIN],
      ['verification', 'waiting', 1 * MIN],
    ]);
    expect(r.eta).toBeNull();
    // Hours waiting for a human are not the stage running past its 10m limit.
    expect(r.deviations).toEqual([]);
  });

  it('ends a paused run the same way, and counts again once it is resumed, from where it stopped', () => {
    const s = new Stream().start(stages);
    s.at(0).add({ type: 'stage.started', stage: 'implementation' });
    s.task('implementation', 'rex');
    s.at(3).add({ type: 'run.finished', status: 'paused', reason: 'pause requested' });
    expect(report(s, s.now() + 60 * MIN).report.stages[0]?.durationMs).toBe(3 * MIN);
    s.at(63).add({ type: 'run.resumed', pid: 42 });
    // The hour it stood paused is not added back once it goes on: 3 minutes, then 2 more.
    expect(report(s, s.now() + 2 * MIN).report).toMatchObject({ elapsedMs: 5 * MIN, stages: [{ durationMs: 5 * MIN }, {}] });
  });

  it('says in --json which stage shows as stopped, keeping the tracker status as documented', () => {
    const s = new Stream().start(stages).ran('implementation', 'rex', 0, 1);
    s.at(1).add({ type: 'stage.started', stage: 'verification' });
    s.task('verification', 'cleo');
    s.at(4).add({ type: 'run.finished', status: 'stopped', reason: 'max_iterations' });
    const json = reportJson(report(s, s.now()).report);
    expect(json.stages.map((x) => [x.name, x.status, x.shown_status])).toEqual([
      ['implementation', 'done', 'done'],
      ['verification', 'active', 'stopped'],
    ]);
    s.at(5).add({ type: 'run.resumed', pid: 3 });
    expect(reportJson(report(s, s.now()).report).stages[1]?.shown_status).toBe('active');
  });

  it('leaves the wait for approval out of the elapsed time once the run is resumed, as while it waited', () => {
    const s = new Stream().start(stages).ran('implementation', 'rex', 0, 1);
    s.at(1).add({ type: 'stage.started', stage: 'verification' });
    const gate = s.task('verification', 'cleo');
    s.at(2).to(gate, 'running', 'awaiting_approval').add({ type: 'run.finished', status: 'awaiting_approval', reason: null });
    const waiting = report(s, s.now() + 55_000).report;
    expect(waiting.elapsedMs).toBe(2 * MIN);
    // Approved 55 s later; `prose resume` goes on and the run ends a minute after.
    s.at(2 + 55 / 60).add({ type: 'run.resumed', pid: 9 }).add({ type: 'stage.started', stage: 'verification' });
    expect(report(s, s.now()).report.elapsedMs).toBe(2 * MIN);
    s.to(gate, 'awaiting_approval', 'succeeded');
    s.at(3 + 55 / 60).add({ type: 'stage.finished', stage: 'verification', status: 'succeeded' }).add({ type: 'run.finished', status: 'succeeded', reason: null });
    const { state, report: done } = report(s, s.now() + 60 * MIN);
    expect(done.elapsedMs).toBe(3 * MIN);
    expect(done.stages[1]?.durationMs).toBe(2 * MIN);
    expect(runMetrics(state, done).timeToCompletionMs).toBe(3 * MIN);
  });

  it('keeps the StageTimeout of a stage stopped at its limit open, and gives a resumed stage its whole time again', () => {
    const s = new Stream().start(stages).ran('implementation', 'rex', 0, 1);
    s.at(1).add({ type: 'stage.started', stage: 'verification' });
    s.task('verification', 'cleo');
    s.at(11.5).add({ type: 'deviation', kind: 'StageTimeout', stage: 'verification', detail: 'stopped at its 10m00s limit' });
    s.add({ type: 'run.finished', status: 'stopped', reason: 'phase verification ran past its timeout of 10m00s' });
    const stopped = report(s, s.now() + 60 * MIN).report;
    expect(stopped.deviations).toEqual([{ kind: 'StageTimeout', stage: 'verification', detail: '10m30s of a 10m00s limit', open: true, taskId: null }]);
    expect(stopped.stages[1]?.durationMs).toBe(10.5 * MIN);
    // `prose resume` the next morning: the runner announces the stage again, and its limit counts from there.
    s.at(600).add({ type: 'run.resumed', pid: 7 }).add({ type: 'stage.started', stage: 'verification' });
    const resumed = report(s, s.now() + 2 * MIN).report;
    expect(resumed.deviations).toEqual([{ kind: 'StageTimeout', stage: 'verification', detail: 'stopped at its 10m00s limit', open: false, taskId: null }]);
    // 10m30s to the stop and 2 minutes since the resume: the night it stood stopped does not count.
    expect(resumed.stages[1]).toMatchObject({ status: 'active', durationMs: 12.5 * MIN });
  });

  it('has metrics that say it stopped, after how long, rather than that it completed', () => {
    const s = new Stream().start(stages).ran('implementation', 'rex', 0, 1);
    s.at(1).add({ type: 'stage.started', stage: 'verification' });
    const cut = s.task('verification', 'cleo');
    s.at(1.1).to(cut, 'running', 'skipped', 'limit').add({ type: 'run.finished', status: 'stopped', reason: 'limit' });
    const { state, report: r } = report(s, s.now() + 3 * MIN);
    const m = runMetrics(state, r);
    expect(m).toMatchObject({ status: 'stopped', timeToCompletionMs: null, stoppedAfterMs: 1.1 * MIN, elapsedMs: 1.1 * MIN });
    // The task the limit cut short did not succeed.
    expect(m.stages.map((x) => [x.stage, x.durationMs, x.successRate])).toEqual([
      ['implementation', 1 * MIN, 1],
      ['verification', 0.1 * MIN, 0],
    ]);
    const first = metricsLines(m, 120)[0] ?? '';
    expect(first).toContain('stopped at a limit after 1m 06s');
    expect(first).not.toContain('completed');
  });

  it('says completed for a run that succeeded', () => {
    const s = new Stream().start(stages).ran('implementation', 'rex', 0, 1).ran('verification', 'cleo', 1, 4);
    s.add({ type: 'run.finished', status: 'succeeded', reason: null });
    const { state, report: r } = report(s, s.now() + 60 * MIN);
    expect(metricsLines(runMetrics(state, r), 120)[0]).toContain('completed in 4m 00s');
  });
});
