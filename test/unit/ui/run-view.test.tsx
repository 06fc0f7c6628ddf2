import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/runtime/events.js';
import { outlineOf } from '../../../src/ui/run-outline.js';
import { RunScreen } from '../../../src/ui/run-screen.js';
import { RunStore } from '../../../src/ui/run-store.js';
import { initialView, reduceView } from '../../../src/ui/run-view-model.js';
import { run, unit } from '../runtime/harness.js';

const started: RunEvent = { type: 'run.started', runId: 'run-1', program: 'build.prose', phases: ['build'], phased: true, dryRun: false };
const step = (step: string, label: string, detail = ''): RunEvent => ({ type: 'step.started', step, kind: 'session', label, agent: 'builder', attempt: 1, phase: 'build', detail });
const finished: RunEvent = { type: 'run.finished', status: 'succeeded', message: undefined, at: undefined, durationMs: 5000, outputs: { result: 'done' }, outputText: { result: 'done' } };

function fold(events: RunEvent[], now = 1000) {
  return events.reduce((state, e) => reduceView(state, e, now), initialView(0));
}

async function frameWith(lastFrame: () => string | undefined, text: string | RegExp): Promise<string> {
  for (const deadline = Date.now() + 5000; Date.now() < deadline; ) {
    const frame = lastFrame() ?? '';
    if (typeof text === 'string' ? frame.includes(text) : text.test(frame)) return frame;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no frame showed ${String(text)}:\n${lastFrame() ?? ''}`);
}

/** The events of a real interpretation of `text` against the scripted agent, and its outline. */
async function recorded(text: string, options: Parameters<typeof run>[1] = {}) {
  const { events } = await run(text, options);
  return { events, outline: outlineOf(unit(text)) };
}

/** Feeds events to the store until (and with) the first one `until` accepts. */
function feed(store: RunStore, events: RunEvent[], until: (e: RunEvent) => boolean): void {
  while (events.length > 0) {
    const event = events.shift() as RunEvent;
    store.dispatch(event);
    if (until(event)) return;
  }
}

const isStart = (key: string) => (e: RunEvent) => e.type === 'step.started' && e.step === key;

describe('the run view model', () => {
  it('prints once what will not change: the header, retries, judgements and failed steps, not each step', () => {
    const view = fold([
      started,
      { type: 'phase.started', phase: 'build' },
      step('1:1', 'session builder', 'Implement it'),
      { type: 'step.retry', step: '1:1', attempt: 2, delayMs: 1000, error: 'exited 1', agent: 'builder' },
      { type: 'step.finished', step: '1:1', kind: 'session', status: 'succeeded', durationMs: 2500, summary: '3 characters' },
      step('2:1', 'exec npm test'),
    ]);
    expect(view.lines.map((l) => l.text)).toEqual(['run run-1 · build.prose', '↻ retry 2 in 1s: exited 1']);
    expect(view.active.map((a) => [a.label, a.startedAt])).toEqual([['exec npm test', 1000]]);
    const done = reduceView(view, { type: 'step.finished', step: '2:1', kind: 'session', status: 'failed', durationMs: 2500, summary: 'exited 1' }, 3500);
    expect(done.lines.at(-1)).toEqual({ id: 2, text: '✗ exec npm test · exited 1 (2s)', tone: 'bad' });
    expect([done.active, done.done, done.failed]).toEqual([[], 1, 1]);
  });

  it('numbers the sessions of a dry run as lines', () => {
    // The scripted agent's made-up outputs are not shown, as in plain output.
    const view = fold([{ ...started, dryRun: true, phased: false }, step('1:1', 'session builder', 'A'), step('2:1', 'session default', 'B'), { ...finished, outputs: { deployed: 'x' }, outputText: { deployed: 'x' } }]);
    expect(view.lines.map((l) => l.text)).toEqual(['dry run of build.prose: nothing is started', '1. session builder: A', '2. session default: B', '2 sessions would start']);
  });

  it('says why a dry run failed, then how many sessions it would start before that', () => {
    const failed: RunEvent = { ...finished, status: 'failed', message: 'expected a list to iterate over, not a string', at: 'p.prose:5:15', outputs: {}, outputText: {} };
    const view = fold([{ ...started, dryRun: true, phased: false }, step('1:1', 'session builder', 'A'), failed]);
    expect(view.lines.slice(-2).map((l) => [l.text, l.tone])).toEqual([
      ['✗ dry run failed: expected a list to iterate over, not a string (p.prose:5:15)', 'bad'],
      ['1 session would start before that', 'plain'],
    ]);
  });
});

describe('the run screen', () => {
  const program = [
    'phase build:',
    '  exec "npm ci"',
    '  parallel:',
    '    api = session "Build the api"',
    '    ui = session "Build the ui"',
    '  loop until **green** (max: 3):',
    '    session "Fix it"',
    'phase ship:',
    '  exec "deploy"',
    '',
  ].join('\n');

  it('draws the statement tree: nesting, states and the running sessions output change as events arrive', async () => {
    const { events, outline } = await recorded(program, { oracle: { green: [false, true] } });
    let clock = 0;
    const store = new RunStore({ now: () => (clock += 1000), outline });
    const { lastFrame, frames, unmount } = render(<RunScreen store={store} columns={80} onInterrupt={() => {}} now={() => 60_000} />);
    feed(store, events, isStart('3:3&1/5:10'));
    const pending = await frameWith(lastFrame, '    ▶ ui = session default: Build the ui');
    const lines = pending.split('\n');
    expect(lines.at(-1)).toMatch(/^phase build · 1 done · \d+s$/);
    expect(lines.slice(0, -1).map((l) => l.replace(/ \d+(ms|s)$/, ''))).toEqual([
      'run  · test.prose',
      '▶ phase build',
      '  ✓ exec npm ci · exited 0',
      '  ▶ parallel:',
      '    ▶ api = session default: Build the api',
      '    ▶ ui = session default: Build the ui',
      '  · loop until **green** (max: 3):',
      '    · session "Fix it"',
      '· phase ship',
      '  · exec "deploy"',
    ]);
    feed(store, events, (e) => e.type === 'step.output' && e.step === '3:3&1/5:10');
    expect(await frameWith(lastFrame, '      │ scripted reply 2 from default')).toContain('    ▶ api = session default: Build the api');
    feed(store, events, isStart('6:3#0/7:5'));
    const looping = await frameWith(lastFrame, '  ▶ loop until **green** (max: 3): · iteration 1/3');
    expect(looping).toContain('  ✓ parallel:');
    expect(looping).toContain('    ✓ api = session default: Build the api');
    expect(looping).toContain('    ▶ session default: Fix it');
    const from = frames.length;
    feed(store, events, () => false);
    // Ink writes the printed-once lines and the (now empty) live part separately: read them all.
    const end = await frameWith(() => frames.slice(from).join(''), '✓ run succeeded');
    for (const line of ['✓ phase build', '  ✓ loop until **green** (max: 3): · 1 iteration', '✓ phase ship', '  ✓ exec deploy · exited 0']) expect(end).toContain(line);
    expect(end).not.toContain('▶');
    unmount();
  });

  it('marks the statement a run failed in, skips the branch not taken and what was never reached', async () => {
    const text = 'if **small**:\n  session "Quick fix"\nelse:\n  session "Rewrite"\n  session "Review"\n    retry: 0\nexec "deploy"\n';
    const { events, outline } = await recorded(text, { oracle: { small: false }, answers: { default: ['rewritten', { fail: 'the agent crashed' }] } });
    const store = new RunStore({ outline });
    const { frames, unmount } = render(<RunScreen store={store} columns={80} onInterrupt={() => {}} />);
    for (const event of events) store.dispatch(event);
    const end = await frameWith(() => frames.join(''), '✗ run failed');
    for (const line of ['✗ if **small**:', '  – if **small**:', '  ✗ else:', '    ✓ session default: Rewrite', '    ✗ session default · the agent crashed', '– exec "deploy"']) expect(end).toContain(line);
    unmount();
  });

  it('fits 60 columns and the terminal height: long lines end in …, hundreds of statements fold around what runs', async () => {
    const text = Array.from({ length: 300 }, (_, i) => `session "Step ${i} of a long and carefully described plan that does not fit"`).join('\n');
    const { events, outline } = await recorded(`${text}\n`);
    const store = new RunStore({ outline });
    const r = render(<RunScreen store={store} columns={80} onInterrupt={() => {}} />);
    Object.defineProperties(r.stdout, { columns: { get: () => 60 }, rows: { get: () => 20 } });
    r.stdout.emit('resize');
    feed(store, events, isStart('151:1'));
    const frame = await frameWith(r.lastFrame, '▶ session default: Step 150');
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(20);
    expect(lines.every((l) => [...l].length <= 60)).toBe(true);
    const at = lines.findIndex((l) => /^▶ session default: Step 150 of a long .*… \d+s$/.test(l));
    // Around what runs: the steps just finished and those next, the rest counted.
    expect(lines.slice(at - 2, at)).toEqual([expect.stringMatching(/^✓ session default: Step 148 of .*… \d+ms$/), expect.stringMatching(/^✓ session default: Step 149 of .*… \d+ms$/)]);
    expect(lines[at + 1]).toBe('· session "Step 151 of a long and carefully described pla…');
    expect(lines.filter((l) => /^… \d+ (done|pending)$/.test(l)).map((l) => l.replace(/\d+/, 'N'))).toEqual(['… N done', '… N pending']);
    expect(frame).not.toContain('\u001b[');
    r.unmount();
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
    expect(await store.ask({ kind: 'choice', title: 'Deploy?', options: ['Yes', 'No'], feedbackFor: [], timeoutMs: 20, fallback: 'No' }, new AbortController().signal)).toEqual({ value: 'No', feedback: '', timedOut: true });
    const typed = store.ask({ kind: 'text', title: 'Which feature? (feature)', options: [], feedbackFor: [], timeoutMs: undefined, fallback: undefined }, new AbortController().signal);
    await frameWith(lastFrame, 'Which feature?');
    stdin.write('search');
    await frameWith(lastFrame, '› search');
    stdin.write('\r');
    expect(await typed).toEqual({ value: 'search', feedback: '' });
    unmount();
  });

  it('draws again only when something shown changed, once for a burst of output', async () => {
    const store = new RunStore({ outline: outlineOf(unit('session "a"\n')) });
    let notified = 0;
    store.subscribe(() => (notified += 1));
    store.dispatch(started);
    store.dispatch(step('1:1', 'session default', 'a'));
    for (let i = 0; i < 50; i++) store.dispatch({ type: 'step.output', step: '1:1', lines: [`line ${i}`] });
    store.dispatch({ type: 'output', name: null, value: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(notified).toBe(1);
    const before = store.snapshot();
    store.dispatch({ type: 'output', name: null, value: 2 });
    expect(store.snapshot()).toBe(before);
    expect(before.tree.step('1:1')?.tail).toEqual(['line 44', 'line 45', 'line 46', 'line 47', 'line 48', 'line 49']);
  });
});
