import { describe, expect, it } from 'vitest';
import { describeDeviation } from '../../../src/play/deviations.js';
import { emptyPlay, foldEvents } from '../../../src/play/state.js';
import { replay, trackPlay } from '../../../src/play/tracker.js';
import type { TrackOptions } from '../../../src/play/model.js';
import { MIN, Stream, T0, stage } from './stream.js';

const stages = [stage('implementation'), stage('review'), stage('testing', { agents: ['tess'] })];
const history = new Map([
  ['implementation', [10 * MIN, 30 * MIN, 20 * MIN]],
  ['review', [10 * MIN]],
  ['testing', [20 * MIN, 20 * MIN]],
]);

function track(s: Stream, options: Partial<TrackOptions> = {}) {
  return trackPlay(replay(s.runId, s.events), { now: s.now(), history, ...options });
}

describe('the play tracker on a run going to plan', () => {
  it('weights progress by median past durations and forecasts the ETA along what remains', () => {
    const s = new Stream().start(stages).ran('implementation', 'rex', 0, 20);
    s.at(25).add({ type: 'stage.started', stage: 'review' });
    const id = s.task('review', 'cleo');
    s.at(29).add({ type: 'agent.output', taskId: id, lines: ['reading src/'] }, id);
    s.at(30);
    const report = track(s);
    // implementation (20m) done, review half of its 10m: 25 of 50 weighted minutes.
    expect(report.progress).toBeCloseTo(25 / 50);
    expect(report.eta).toEqual({ remainingMs: 25 * MIN, at: s.now() + 25 * MIN, basis: 'history' });
    expect(report.current).toBe('review');
    expect(report.health).toBe('on track');
    expect(report.healthy).toBe(true);
    expect(report.next).toEqual({ kind: 'wait', stage: 'review', detail: 'wait for review (cleo)' });
    expect(report.stages.map((r) => [r.name, r.status, r.durationMs, r.agent])).toEqual([
      ['implementation', 'done', 20 * MIN, 'rex'],
      ['review', 'active', 5 * MIN, 'cleo'],
      ['testing', 'pending', null, 'tess'],
    ]);
  });

  it('has no ETA without any history, and a partial one when some stages are guessed', () => {
    const s = new Stream().start(stages).ran('implementation', 'rex', 0, 20);
    expect(track(s, { history: new Map() }).eta).toBeNull();
    const partial = track(s, { history: new Map([['review', [10 * MIN]]]) });
    // testing has no history: it is taken to be a typical stage (the median of the known: 10m).
    expect(partial.eta).toMatchObject({ remainingMs: 20 * MIN, basis: 'partial' });
  });

  it('is at risk when the active stage runs past 1.5 times its median', () => {
    const s = new Stream().start(stages);
    s.at(0).add({ type: 'stage.started', stage: 'implementation' });
    const id = s.task('implementation', 'rex');
    s.at(31).add({ type: 'agent.output', taskId: id, lines: ['still going'] }, id);
    expect(track(s).health).toBe('at risk');
    expect(track(s).healthy).toBe(true);
  });

  it('is on track in a first run however long a stage takes: a guessed duration is no median to run past', () => {
    const s = new Stream().start(stages);
    s.at(0).add({ type: 'stage.started', stage: 'implementation' });
    const id = s.task('implementation', 'rex');
    s.at(31).add({ type: 'agent.output', taskId: id, lines: ['still going'] }, id);
    const first = track(s, { history: new Map() });
    expect(first.health).toBe('on track');
    expect(first.stages.map((stage) => [stage.name, stage.expectedMs, stage.expectedGuessed])).toEqual([
      ['implementation', MIN, true],
      ['review', MIN, true],
      ['testing', MIN, true],
    ]);
  });

  it('reports 100% and no next step once the run succeeded', () => {
    const s = new Stream().start(stages).ran('implementation', 'rex', 0, 20).ran('review', 'cleo', 20, 30).ran('testing', 'tess', 30, 50);
    s.add({ type: 'run.finished', status: 'succeeded', reason: null });
    const report = track(s);
    expect(report).toMatchObject({ progress: 1, eta: null, current: null, health: 'on track', elapsedMs: 50 * MIN, next: { kind: 'none' } });
  });
});

describe('deviations', () => {
  it('flags a StageTimeout while a stage runs past its limit, and keeps it closed once it ended', () => {
    const s = new Stream().start([stage('implementation', { timeoutMs: 15 * MIN }), stage('review')]);
    s.at(0).add({ type: 'stage.started', stage: 'implementation' });
    const id = s.task('implementation', 'rex');
    s.at(16).add({ type: 'agent.output', taskId: id, lines: ['x'] }, id);
    const live = track(s);
    expect(live.deviations).toEqual([{ kind: 'StageTimeout', stage: 'implementation', detail: '16m00s of a 15m00s limit', open: true, taskId: null }]);
    expect(live.health).toBe('off track');
    expect(live.next).toMatchObject({ kind: 'investigate', command: 'choiros cancel run-1' });
    s.at(18).to(id, 'running', 'succeeded').add({ type: 'stage.finished', stage: 'implementation', status: 'succeeded' });
    expect(track(s).deviations).toEqual([expect.objectContaining({ kind: 'StageTimeout', detail: '18m00s of a 15m00s limit', open: false })]);
    expect(track(s).health).toBe('on track');
  });

  it('counts a rolled-back iteration as a retry of the stage under way, and no other', () => {
    const s = new Stream().start(stages).ran('implementation', 'rex', 0, 20);
    s.at(20).add({ type: 'stage.started', stage: 'review' });
    s.at(21).add({ type: 'rollback', target: 'checkpoint-1', undo: 'pre-rollback/1' });
    s.at(22).add({ type: 'rollback', target: 'checkpoint-1', undo: 'pre-rollback/2' });
    expect(track(s).stages.map((r) => [r.name, r.retries])).toEqual([
      ['implementation', 0],
      ['review', 2],
      ['testing', 0],
    ]);
  });

  it('flags AgentFailed until a retry of the same agent takes over, and counts the retry', () => {
    const s = new Stream().start(stages);
    s.at(0).add({ type: 'stage.started', stage: 'implementation' });
    const first = s.task('implementation', 'rex');
    s.at(5).to(first, 'running', 'failed', 'exit 1').add({ type: 'task.retry', taskId: first, attempt: 2, delayMs: 1000, error: 'exit 1' }, first);
    const failed = track(s);
    expect(failed.deviations).toEqual([{ kind: 'AgentFailed', stage: 'implementation', detail: 'rex (session:rex) failed: exit 1', open: true, taskId: first }]);
    expect(failed.next).toEqual({ kind: 'retry', stage: 'implementation', detail: 'implementation: rex (session:rex) failed: exit 1; run the stage again', command: 'choiros play reset --run run-1 --to-stage implementation' });
    const second = s.task('implementation', 'rex');
    s.at(9).to(second, 'running', 'succeeded');
    const recovered = track(s);
    expect(recovered.deviations).toEqual([expect.objectContaining({ kind: 'AgentFailed', open: false })]);
    expect(recovered.stages[0]?.retries).toBe(1);
    expect(recovered.health).toBe('on track');
  });

  it('counts a failed verification as a failed task but flags no deviation: failing candidates is the loop\u2019s job', () => {
    const s = new Stream().start(stages);
    s.at(0).add({ type: 'stage.started', stage: 'implementation' });
    s.at(1).add({ type: 'task.created', taskId: 7, task: 'verify unit', status: 'running', stage: 'implementation', agent: null }, 7);
    s.at(2).to(7, 'running', 'failed', 'verification failed: unit fail');
    const report = track(s);
    expect(report.deviations).toEqual([]);
    expect(report.next).toEqual({ kind: 'wait', stage: 'implementation', detail: 'wait for implementation (rex)' });
  });

  it('flags a stage started before the one ahead of it ended, or one that is not in the play', () => {
    const s = new Stream().start(stages);
    s.at(1).add({ type: 'stage.started', stage: 'review' }).add({ type: 'stage.started', stage: 'deploy' });
    const details = track(s).deviations.filter((d) => d.kind === 'InvalidTransition').map((d) => [d.detail, d.open]);
    expect(details).toEqual([
      ["stage 'review' started before 'implementation' ended", true],
      ["stage 'deploy' is not in the play", true],
    ]);
    expect(track(s).stages.map((r) => [r.name, r.inSpec])).toContainEqual(['deploy', false]);
  });

  it('keeps a task transition the ledger refused as a closed InvalidTransition', () => {
    const s = new Stream().start(stages);
    s.add({ type: 'deviation', kind: 'InvalidTransition', stage: 'implementation', detail: 'task 1 (exec): succeeded -> running' });
    expect(track(s).deviations).toEqual([{ kind: 'InvalidTransition', stage: 'implementation', detail: 'task 1 (exec): succeeded -> running', open: false, taskId: null }]);
    expect(track(s).healthy).toBe(true);
  });

  it('flags MissingArtifact for each expected path the predicate does not find once the stage is done', () => {
    const s = new Stream().start([stage('implementation', { expect: ['src/login.ts', 'docs/login.md'] }), stage('review')]).ran('implementation', 'rex', 0, 10);
    const report = track(s, { artifactExists: (path) => path === 'src/login.ts' });
    expect(report.deviations.map(describeDeviation)).toEqual(['MissingArtifact in implementation: docs/login.md is missing']);
    expect(report.next.kind).toBe('retry');
  });

  it('flags StageStuck after the window without output, file changes or CPU, and not while samples move', () => {
    const s = new Stream().start(stages);
    s.at(0).add({ type: 'stage.started', stage: 'implementation' });
    const id = s.task('implementation', 'rex');
    s.at(2).add({ type: 'activity', taskId: id, outputBytes: 100, cpuMs: 50, fileChanges: 0 }, id);
    s.at(8).add({ type: 'activity', taskId: id, outputBytes: 100, cpuMs: 50, fileChanges: 0 }, id);
    s.at(11);
    const stuck = track(s, { stuckWindowMs: 9 * MIN });
    expect(stuck.deviations.map(describeDeviation)).toEqual(['StageStuck in implementation: no output, file change or CPU for 9m00s']);
    expect(stuck.health).toBe('off track');
    s.at(11).add({ type: 'activity', taskId: id, outputBytes: 100, cpuMs: 51, fileChanges: 0 }, id);
    expect(track(s, { stuckWindowMs: 9 * MIN }).deviations).toEqual([]);
  });

  it('does not call a stage stuck while its work waits for a human approval', () => {
    const s = new Stream().start(stages);
    s.at(0).add({ type: 'stage.started', stage: 'implementation' });
    const id = s.task('implementation', 'rex');
    s.at(1).to(id, 'running', 'awaiting_approval');
    s.at(60);
    const report = track(s);
    expect(report.deviations).toEqual([]);
    expect(report.stages[0]?.status).toBe('waiting');
    expect(report.next).toEqual({ kind: 'approve', taskId: id, detail: `task ${id} (session:rex) awaits approval`, command: `choiros approve ${id}` });
  });
});

describe('admin overrides', () => {
  it('advance passes over the stages before the target; reset sends the target and later stages back to pending', () => {
    const s = new Stream().start(stages);
    s.at(0).add({ type: 'admin', action: 'advance', stage: 'review', by: 'alice' });
    s.at(1).add({ type: 'stage.started', stage: 'review' });
    let report = track(s);
    expect(report.stages.map((r) => r.status)).toEqual(['skipped', 'active', 'pending']);
    expect(report.deviations).toEqual([]);
    s.at(2).add({ type: 'admin', action: 'reset', stage: 'implementation', by: 'alice' });
    report = track(s);
    expect(report.stages.map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
    expect(report.next).toEqual({ kind: 'start', stage: 'implementation', detail: 'start implementation' });
  });
});

describe('a run without a play', () => {
  it('says the play is not recorded yet instead of calling every stage ended', () => {
    const s = new Stream().add({ type: 'run.started', program: 'p.prose', args: {}, mode: null });
    expect(track(s)).toMatchObject({ stages: [], progress: 0, eta: null, health: 'on track', next: { kind: 'none', detail: 'no play recorded yet: the runner writes play.spec when the run starts' } });
  });
});

describe('run control', () => {
  it('asks to resume a paused run', () => {
    const s = new Stream().start(stages).add({ type: 'run.finished', status: 'paused', reason: 'pause requested' });
    expect(track(s).next).toEqual({ kind: 'resume', detail: 'the run is paused', command: 'prose resume run-1' });
  });
});

describe('folding events', () => {
  it('gives the same report applied in batches as replayed at once', () => {
    const s = new Stream().start(stages).ran('implementation', 'rex', 0, 20);
    s.at(21).add({ type: 'stage.started', stage: 'review' });
    const id = s.task('review', 'cleo');
    s.at(22).add({ type: 'activity', taskId: id, outputBytes: 5, cpuMs: 5, fileChanges: 1 }, id);
    const whole = trackPlay(replay('run-1', s.events), { now: T0 + 30 * MIN, history });
    for (let cut = 0; cut <= s.events.length; cut++) {
      const state = emptyPlay('run-1');
      foldEvents(s.events.slice(0, cut), state);
      foldEvents(s.events, state); // already-seen events are ignored by sequence number
      expect(trackPlay(state, { now: T0 + 30 * MIN, history })).toEqual(whole);
    }
  });
});

describe('the play of a run an orchestrator logs through the task API', () => {
  /** The events the task API writes for an external run: its start, then tasks without stages. */
  function external(): Stream {
    return new Stream('ci-1').add({ type: 'run.started', program: 'external', args: {}, mode: null, origin: 'external' });
  }
  function logged(s: Stream, id: number, task: string): Stream {
    return s.add({ type: 'task.created', taskId: id, task, status: 'running', stage: null, agent: null }, id);
  }

  it('has a stage per task that follows it, and takes no silence for a stuck stage', () => {
    const s = logged(external(), 1, 'lint');
    s.at(3).to(1, 'running', 'succeeded');
    logged(s.at(4), 2, 'e2e').at(40);
    const report = trackPlay(replay(s.runId, s.events), { now: s.now() });
    expect(report.stages.map((r) => [r.name, r.status, r.durationMs])).toEqual([
      ['lint', 'done', 3 * MIN],
      ['e2e', 'active', 36 * MIN],
    ]);
    // 36 minutes without a sign of life would be a stuck stage in a run choiros drives; choiros cannot see an orchestrator's work.
    expect(report.deviations).toEqual([]);
    expect(report.health).toBe('on track');
    expect(report.next).toEqual({ kind: 'wait', stage: 'e2e', detail: 'wait for e2e (logged by an external orchestrator)' });
  });

  it('reads a failed task as the orchestrator’s to handle, and a retry that passes as the stage done', () => {
    const s = logged(external(), 1, 'e2e');
    s.at(5).to(1, 'running', 'failed', 'exit 1').add({ type: 'run.finished', status: 'failed', reason: 'task 1 (e2e) failed: exit 1' });
    const failed = trackPlay(replay(s.runId, s.events), { now: s.now() });
    expect(failed.stages.map((r) => [r.name, r.status])).toEqual([['e2e', 'failed']]);
    expect(failed.next).toEqual({ kind: 'investigate', stage: 'e2e', detail: 'task 1 (e2e) failed; the orchestrator that logged it decides what follows', command: null });
    logged(s.at(6).add({ type: 'run.finished', status: 'running', reason: null }), 2, 'e2e');
    s.at(9).to(2, 'running', 'succeeded').add({ type: 'run.finished', status: 'succeeded', reason: null });
    const passed = trackPlay(replay(s.runId, s.events), { now: s.now() });
    expect(passed.stages.map((r) => [r.name, r.status, r.retries])).toEqual([['e2e', 'done', 1]]);
    expect(passed.deviations.map((d) => [d.kind, d.open])).toEqual([['AgentFailed', false]]);
    expect([passed.runStatus, passed.health, passed.next.kind]).toEqual(['succeeded', 'on track', 'none']);
  });
});
