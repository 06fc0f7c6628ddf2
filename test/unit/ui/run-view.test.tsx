import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/runtime/events.js';
import { RunScreen } from '../../../src/ui/run-screen.js';
import { RunStore } from '../../../src/ui/run-store.js';
import { initialView, reduceView } from '../../../src/ui/run-view-model.js';

const started: RunEvent = { type: 'run.started', runId: 'run-1', program: 'build.prose', phases: ['build'], phased: true, dryRun: false };
const step = (step: string, label: string, detail = ''): RunEvent => ({ type: 'step.started', step, kind: 'session', label, agent: 'builder', attempt: 1, phase: 'build', detail });

function fold(events: RunEvent[], now = 1000) {
  return events.reduce((state, e) => reduceView(state, e, now), initialView(0));
}

async function frameWith(lastFrame: () => string | undefined, text: string): Promise<string> {
  for (const deadline = Date.now() + 5000; Date.now() < deadline; ) {
    const frame = lastFrame() ?? '';
    if (frame.includes(text)) return frame;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no frame showed ${JSON.stringify(text)}:\n${lastFrame() ?? ''}`);
}

describe('the run view model', () => {
  it('turns finished things into lines and keeps running steps and their newest output live', () => {
    const view = fold([started, { type: 'phase.started', phase: 'build' }, step('1:1', 'session builder', 'Implement it'), { type: 'step.output', step: '1:1', lines: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }]);
    expect(view.lines.map((l) => l.text)).toEqual(['run run-1 · build.prose', '▶ phase build']);
    expect(view.active.map((a) => [a.label, a.detail, a.startedAt])).toEqual([['session builder', 'Implement it', 1000]]);
    expect(view.tail).toEqual(['b', 'c', 'd', 'e', 'f', 'g']);
    const done = reduceView(view, { type: 'step.finished', step: '1:1', kind: 'session', status: 'failed', durationMs: 2500, summary: 'exited 1' }, 3500);
    expect(done.active).toEqual([]);
    expect(done.lines.at(-1)).toEqual({ id: 2, text: '  ✗ session builder · exited 1 (2s)', tone: 'bad' });
    expect(done.failed).toBe(1);
  });

  it('numbers the sessions of a dry run as lines', () => {
    const view = fold([{ ...started, dryRun: true, phased: false }, step('1:1', 'session builder', 'A'), step('2:1', 'session default', 'B'), { type: 'run.finished', status: 'succeeded', message: undefined, at: undefined, durationMs: 3, outputs: {}, outputText: {} }]);
    expect(view.lines.map((l) => l.text)).toEqual(['dry run of build.prose: nothing is started', '1. session builder: A', '2. session default: B', '2 sessions would start']);
  });
});

describe('the run screen', () => {
  it('draws running steps with elapsed time and the active output, then the result once', async () => {
    const store = new RunStore(() => 1000);
    const { lastFrame, frames, unmount } = render(<RunScreen store={store} columns={80} onInterrupt={() => {}} now={() => 6000} />);
    store.dispatch(started);
    store.dispatch({ type: 'phase.started', phase: 'build' });
    store.dispatch(step('1:1', 'session builder', 'Implement the api'));
    store.dispatch({ type: 'step.output', step: '1:1', lines: ['→ Bash: npm test'] });
    const live = await frameWith(lastFrame, '│ → Bash: npm test');
    expect(live).toContain('… session builder: Implement the api 5s');
    expect(live).toContain('phase build · 0 done · 5s');
    const from = frames.length;
    store.dispatch({ type: 'step.finished', step: '1:1', kind: 'session', status: 'succeeded', durationMs: 5000, summary: '12 characters' });
    store.dispatch({ type: 'run.finished', status: 'succeeded', message: undefined, at: undefined, durationMs: 5000, outputs: { result: 'done' }, outputText: { result: 'done' } });
    // Ink writes the printed-once lines and the (now empty) live part separately: read them all.
    const end = await frameWith(() => frames.slice(from).join(''), '✓ run succeeded in 5s');
    expect(end).toContain('✓ session builder · 12 characters (5s)');
    expect(end).toContain('result = done');
    expect(end).not.toContain('…');
    unmount();
  });

  it('asks a gate: arrows pick an option, Modify asks for feedback', async () => {
    const store = new RunStore();
    const { lastFrame, stdin, unmount } = render(<RunScreen store={store} columns={80} onInterrupt={() => {}} />);
    const answer = store.ask({ kind: 'choice', title: 'Deploy?', options: ['Yes', 'No', 'Modify'], feedbackFor: ['Modify'], timeoutMs: undefined, fallback: undefined }, new AbortController().signal);
    await frameWith(lastFrame, '❯ 1. Yes');
    stdin.write('\u001b[B');
    await frameWith(lastFrame, '❯ 2. No');
    stdin.write('3');
    await frameWith(lastFrame, '❯ 3. Modify');
    stdin.write('\r');
    await frameWith(lastFrame, 'Feedback:');
    stdin.write('use tabs');
    await frameWith(lastFrame, 'Feedback: use tabs');
    stdin.write('\r');
    expect(await answer).toEqual({ value: 'Modify', feedback: 'use tabs' });
    unmount();
  });

  it('answers with the fallback when a gate times out, and asks for an input as text', async () => {
    const store = new RunStore();
    const { lastFrame, stdin, unmount } = render(<RunScreen store={store} columns={80} onInterrupt={() => {}} />);
    expect(await store.ask({ kind: 'choice', title: 'Deploy?', options: ['Yes', 'No'], feedbackFor: [], timeoutMs: 20, fallback: 'No' }, new AbortController().signal)).toEqual({ value: 'No', feedback: '' });
    const typed = store.ask({ kind: 'text', title: 'Which feature? (feature)', options: [], feedbackFor: [], timeoutMs: undefined, fallback: undefined }, new AbortController().signal);
    await frameWith(lastFrame, 'Which feature?');
    stdin.write('search');
    await frameWith(lastFrame, '› search');
    stdin.write('\r');
    expect(await typed).toEqual({ value: 'search', feedback: '' });
    unmount();
  });
});
