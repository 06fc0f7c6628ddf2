import { describe, expect, it } from 'vitest';
import { makeStyle } from '../../../src/cli/output.js';
import { playDiff } from '../../../src/play/diff.js';
import { replay, trackPlay } from '../../../src/play/tracker.js';
import { diffLines } from '../../../src/ui/play-text.js';
import { Stream, stage } from './stream.js';

describe('play diff', () => {
  it('does not call an agent reached only through a branch not taken one that never ran, nor show it as the stage\u2019s agent', () => {
    // deploy: rex prepares; builder runs only when the gate says Modify. fix: only a fallback.
    const s = new Stream().start([stage('deploy', { agents: ['rex', 'builder'], mayRun: ['builder'] }), stage('fix', { agents: ['builder'], mayRun: ['builder'] }), stage('review', { agents: ['cleo', 'rex'] })]);
    s.ran('deploy', 'rex', 0, 5).ran('fix', 'none', 5, 6).ran('review', 'cleo', 6, 8);
    const state = replay(s.runId, s.events);
    const report = trackPlay(state, { now: s.now() });
    const diff = playDiff(state, report);
    expect(diff[0]?.differences).toEqual([]);
    // An agent sure to run that did not is still a deviation.
    expect(diff[2]?.differences).toEqual(['agents that never ran: rex']);
    const lines = diffLines(diff, makeStyle(false));
    expect(lines).toContain('    expected: rex, builder (may run) · no limit');
    expect(lines.join('\n')).not.toContain('never ran: builder');

    const pending = new Stream().start([stage('deploy', { agents: ['builder'], mayRun: ['builder'] }), stage('review', { agents: ['builder', 'cleo'], mayRun: ['builder'] })]);
    expect(trackPlay(replay(pending.runId, pending.events), { now: pending.now() }).stages.map((r) => r.agent)).toEqual([null, 'cleo']);
  });
});
