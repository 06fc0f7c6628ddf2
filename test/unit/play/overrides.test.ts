import { describe, expect, it } from 'vitest';
import { playDiff } from '../../../src/play/diff.js';
import { replay, trackPlay } from '../../../src/play/tracker.js';
import { MIN, Stream, stage } from './stream.js';

const stages = [stage('implementation'), stage('review'), stage('testing', { agents: ['tess'] })];

function statuses(s: Stream): string[] {
  return trackPlay(replay(s.runId, s.events), { now: s.now() }).stages.map((r) => r.status);
}

function noted(s: Stream): string[] {
  return trackPlay(replay(s.runId, s.events), { now: s.now() })
    .deviations.filter((d) => d.kind === 'InvalidTransition')
    .map((d) => d.detail);
}

describe('admin overrides as the runner acts on them (at phase boundaries)', () => {
  it('passes over a failed stage on advance, and reads the runner recording it skipped as no deviation', () => {
    const s = new Stream().start(stages);
    s.at(0).add({ type: 'stage.started', stage: 'implementation' });
    const id = s.task('implementation', 'rex');
    s.at(5).to(id, 'running', 'failed', 'exit 1').add({ type: 'stage.finished', stage: 'implementation', status: 'failed' }).add({ type: 'run.finished', status: 'failed', reason: 'exit 1' });
    s.at(10).add({ type: 'admin', action: 'advance', stage: 'review', by: 'alice' });
    expect(statuses(s)).toEqual(['skipped', 'pending', 'pending']);
    // prose resume: the runner records the pass-over, then runs review.
    s.at(11).add({ type: 'run.resumed', pid: 9 }).add({ type: 'stage.finished', stage: 'implementation', status: 'skipped' }).add({ type: 'stage.started', stage: 'review' });
    expect(statuses(s)).toEqual(['skipped', 'active', 'pending']);
    expect(noted(s)).toEqual([]);
    // Passed over after it failed: it took no time since.
    expect(trackPlay(replay(s.runId, s.events), { now: s.now() }).stages[0]).toMatchObject({ durationMs: 5 * MIN });
  });

  it('lets a live run finish the stage it is in after an advance past it, as the runner does', () => {
    const s = new Stream().start(stages);
    s.at(0).add({ type: 'stage.started', stage: 'implementation' });
    s.at(1).add({ type: 'admin', action: 'advance', stage: 'testing', by: null });
    expect(statuses(s)).toEqual(['active', 'skipped', 'pending']);
    s.at(2).add({ type: 'stage.finished', stage: 'implementation', status: 'succeeded' });
    s.at(2).add({ type: 'stage.finished', stage: 'review', status: 'skipped' }).add({ type: 'stage.started', stage: 'testing' });
    expect(statuses(s)).toEqual(['done', 'skipped', 'active']);
    expect(noted(s)).toEqual([]);
    const diff = playDiff(replay(s.runId, s.events), trackPlay(replay(s.runId, s.events), { now: s.now() }));
    expect(diff.map((d) => d.differences.includes('passed over by an admin advance'))).toEqual([false, true, false]);
  });

  it('keeps a stage a reset sent back pending when the live run still finishes it, then runs from the reset stage', () => {
    const s = new Stream().start(stages).ran('implementation', 'rex', 0, 10);
    s.at(10).add({ type: 'stage.started', stage: 'review' });
    s.at(12).add({ type: 'admin', action: 'reset', stage: 'implementation', by: 'bob' });
    s.at(15).add({ type: 'stage.finished', stage: 'review', status: 'succeeded' });
    expect(statuses(s)).toEqual(['pending', 'pending', 'pending']);
    s.at(15).add({ type: 'stage.started', stage: 'implementation' });
    expect(statuses(s)).toEqual(['active', 'pending', 'pending']);
    expect(noted(s)).toEqual([]);
  });

  it('ends a stage that waited in a stopped run when the run stopped, once an advance passes it over', () => {
    const s = new Stream().start(stages);
    s.at(0).add({ type: 'stage.started', stage: 'implementation' });
    const gate = s.task('implementation', 'rex');
    s.at(2).to(gate, 'running', 'awaiting_approval').add({ type: 'run.finished', status: 'awaiting_approval', reason: null });
    s.at(60).add({ type: 'admin', action: 'advance', stage: 'review', by: null });
    s.at(61).add({ type: 'run.resumed', pid: 3 }).to(gate, 'awaiting_approval', 'skipped', 'advanced').add({ type: 'stage.finished', stage: 'implementation', status: 'skipped' });
    const report = trackPlay(replay(s.runId, s.events), { now: s.now() });
    expect(report.stages[0]).toMatchObject({ status: 'skipped', durationMs: 2 * MIN });
    expect(report.next).toEqual({ kind: 'start', stage: 'review', detail: 'start review' });
  });

  it('suggests running a stage again when a run succeeded without an artifact it was to leave', () => {
    const s = new Stream().start([stage('implementation', { expect: ['out.txt'] })]).ran('implementation', 'rex', 0, 2);
    s.add({ type: 'run.finished', status: 'succeeded', reason: null });
    const report = trackPlay(replay(s.runId, s.events), { now: s.now(), artifactExists: () => false });
    expect(report.next).toMatchObject({ kind: 'retry', command: 'choiros play reset --run run-1 --to-stage implementation' });
  });

  it('checks the expected artifacts of a stage that ran again after an override', () => {
    const s = new Stream().start([stage('implementation', { expect: ['out.txt'] }), stage('review')]);
    s.at(0).add({ type: 'admin', action: 'reset', stage: 'implementation', by: null });
    s.ran('implementation', 'rex', 1, 2);
    const report = trackPlay(replay(s.runId, s.events), { now: s.now(), artifactExists: () => false });
    expect(report.deviations.map((d) => d.kind)).toEqual(['MissingArtifact']);
  });
});
