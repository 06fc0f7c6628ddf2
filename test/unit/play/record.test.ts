import { describe, expect, it } from 'vitest';
import { deviationsToRecord } from '../../../src/play/record.js';
import { applyEvent } from '../../../src/play/state.js';
import { replay, trackPlay } from '../../../src/play/tracker.js';
import { MIN, Stream, stage } from './stream.js';

describe('deviations a runner records', () => {
  it('asks once for each open deviation the ledger does not hold yet', () => {
    const s = new Stream().start([stage('implementation', { timeoutMs: 5 * MIN })]);
    s.at(0).add({ type: 'stage.started', stage: 'implementation' });
    const id = s.task('implementation', 'rex');
    s.at(2).add({ type: 'activity', taskId: id, outputBytes: 10, cpuMs: 10, fileChanges: 0 }, id);
    s.at(13);
    const state = replay(s.runId, s.events);
    const first = deviationsToRecord(state, trackPlay(state, { now: s.now(), stuckWindowMs: 10 * MIN }));
    expect(first).toEqual([
      { type: 'deviation', kind: 'StageTimeout', stage: 'implementation', detail: '13m00s of a 5m00s limit' },
      { type: 'deviation', kind: 'StageStuck', stage: 'implementation', detail: 'no output, file change or CPU for 11m00s' },
    ]);
    for (const event of first) s.add(event);
    for (const e of s.events) applyEvent(state, e);
    s.at(14);
    expect(deviationsToRecord(state, trackPlay(state, { now: s.now(), stuckWindowMs: 10 * MIN }))).toEqual([]);
  });
});
