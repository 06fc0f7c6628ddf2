import { describe, expect, it } from 'vitest';
import { makeStyle } from '../../../src/cli/output.js';
import { reportJson } from '../../../src/play/json.js';
import { replay, trackPlay } from '../../../src/play/tracker.js';
import { dashboardFrame, frameText } from '../../../src/ui/play-frame.js';
import { statusLines } from '../../../src/ui/play-text.js';
import { MIN, Stream, stage } from './stream.js';

describe('the time a stage has left', () => {
  it('is its timeout less the time it has run, in the JSON, play status and the dashboard; a guessed expectation reads as one', () => {
    const s = new Stream().start([stage('build', { timeoutMs: 30 * MIN }), stage('review')]);
    s.at(0).add({ type: 'stage.started', stage: 'build' });
    s.task('build', 'rex');
    s.at(18);
    const report = trackPlay(replay(s.runId, s.events), { now: s.now() });
    const json = reportJson(report);
    expect(json.stages.map((x) => [x.name, x.timeout_ms, x.remaining_ms, x.expected_basis])).toEqual([
      ['build', 30 * MIN, 12 * MIN, 'estimate'],
      ['review', null, null, 'estimate'],
    ]);
    const lines = statusLines(report, makeStyle(false), 120);
    expect(lines.find((l) => / build +active/.test(l))).toContain('limit 30m · 12m left');
    // No past runs and no limit: a minute is a guess, and says so.
    expect(lines.find((l) => / review +pending/.test(l))).toMatch(/~1m 00s est\./);
    expect(frameText(dashboardFrame(report, 80))).toContain('Time limit: Build limit 30m · 12m left');

    s.at(31);
    const late = trackPlay(replay(s.runId, s.events), { now: s.now() });
    expect(late.stages[0]?.remainingMs).toBe(0);
    expect(statusLines(late, makeStyle(false), 120).find((l) => / build +active/.test(l))).toContain('limit 30m · past it');
  });

  it('is not counted down for a run that stopped: a stage left going when it stopped shows no limit', () => {
    const s = new Stream().start([stage('build', { timeoutMs: 30 * MIN })]);
    s.at(0).add({ type: 'stage.started', stage: 'build' });
    s.task('build', 'rex');
    s.at(18).add({ type: 'run.finished', status: 'stopped', reason: 'max_iterations reached' });
    s.at(25);
    const report = trackPlay(replay(s.runId, s.events), { now: s.now() });
    expect(report.stages[0]).toMatchObject({ timeoutMs: 30 * MIN, remainingMs: null });
    expect(frameText(dashboardFrame(report, 80))).not.toContain('Time limit');
  });

  it('is not given for a stage that ended, nor one without a timeout', () => {
    const s = new Stream().start([stage('build', { timeoutMs: 30 * MIN })]).ran('build', 'rex', 0, 5);
    const report = trackPlay(replay(s.runId, s.events), { now: s.now() });
    expect(report.stages[0]).toMatchObject({ timeoutMs: 30 * MIN, remainingMs: null });
    expect(frameText(dashboardFrame(report, 80))).not.toContain('Time limit');
  });
});
