import { describe, expect, it } from 'vitest';
import { runMetrics } from '../../../src/play/run-metrics.js';
import { timeline } from '../../../src/play/timeline.js';
import { replay, trackPlay } from '../../../src/play/tracker.js';
import { metricsLines } from '../../../src/ui/play-text.js';
import { Stream, stage } from './stream.js';

function loopStream(): Stream {
  const s = new Stream().start([stage('build', { agents: ['rex'] })]);
  s.at(0).add({ type: 'stage.started', stage: 'build' });
  const session = s.task('build', 'rex');
  s.add({ type: 'task.process', taskId: session, pid: 4242, startTicks: null }, session).to(session, 'running', 'succeeded');
  const id = 2;
  s.add({ type: 'task.created', taskId: id, task: 'exec npm test', status: 'running', stage: 'build', agent: null }, id).to(id, 'running', 'failed', 'exit 1');
  s.add({ type: 'task.created', taskId: 3, task: 'checkpoint good', status: 'succeeded', stage: 'build', agent: null }, 3);
  s.add({ type: 'input', site: '4:3', name: 'target', value: 'staging' });
  s.add({ type: 'health', score: 42, status: 'critical', checkpoint: null, parts: {} });
  s.at(3).add({ type: 'stage.finished', stage: 'build', status: 'succeeded' });
  return s;
}

describe('what play metrics and play history call things', () => {
  it('lists agents apart from the other steps of the run', () => {
    const s = loopStream();
    const state = replay(s.runId, s.events);
    const m = runMetrics(state, trackPlay(state, { now: s.now() }));
    expect(m.agents).toEqual([{ agent: 'rex', tasks: 1, failed: 0, retries: 0 }]);
    expect(m.steps).toEqual([
      { step: 'exec npm test', tasks: 1, failed: 1, retries: 0 },
      { step: 'checkpoint good', tasks: 1, failed: 0, retries: 0 },
    ]);
    const lines = metricsLines(m, 100);
    const agentTable = lines.slice(lines.findIndex((l) => l.startsWith('AGENT')));
    expect(agentTable.slice(0, agentTable.indexOf(''))).toEqual([expect.stringMatching(/^AGENT/), expect.stringMatching(/^rex\s/)]);
    expect(lines.find((l) => l.startsWith('OTHER STEP'))).toBeDefined();
    expect(lines.some((l) => l.startsWith('exec npm test'))).toBe(true);
  });

  it('tells inputs and health scores in words and leaves process ids out of the history', () => {
    const s = loopStream();
    const texts = timeline(s.events).map((e) => e.text);
    expect(texts).toContain('input target answered');
    expect(texts).toContain('health 42.0 / 100 (critical)');
    expect(texts.some((t) => t.includes('4242') || t === 'task.process')).toBe(false);
    expect(texts.some((t) => /^[a-z]+\.[a-z]+$/.test(t))).toBe(false);
  });
});
