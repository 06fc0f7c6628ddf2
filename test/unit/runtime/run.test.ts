import { describe, expect, it } from 'vitest';
import { MemoryJournal, type AgentPort } from '../../../src/runtime/index.js';
import { run } from './harness.js';

const phased = [
  'input target: "where"',
  'agent builder:',
  '  model: sonnet',
  'let greeting = "hi"',
  'session "top level effect"',
  'phase setup:',
  '  exec "npm ci"',
  'phase build:',
  '  session: builder',
  '    prompt: "Build for {target} ({greeting})"',
].join('\n');

describe('phases', () => {
  it('runs every phase in order, each a stage of the play', async () => {
    const r = await run(phased, { inputs: { target: 'prod' } });
    expect(r.prompts).toEqual(['default: top level effect', 'builder: Build for prod (hi)']);
    expect(r.journal.stages).toEqual([
      { name: 'setup', status: 'started' },
      { name: 'setup', status: 'succeeded' },
      { name: 'build', status: 'started' },
      { name: 'build', status: 'succeeded' },
    ]);
    expect(r.journal.tasks.map((t) => `${t.stage} ${t.task}`)).toEqual(['null session default', 'setup exec npm ci', 'build session builder']);
  });

  it('runs only the selected phase plus top-level definitions with phase=NAME', async () => {
    const r = await run(phased, { inputs: { target: 'prod' }, phase: 'build' });
    expect(r.prompts).toEqual(['builder: Build for prod (hi)']);
    expect(r.exec.requests).toEqual([]);
    expect(r.events.find((e) => e.type === 'run.started')).toMatchObject({ phases: ['build'] });
  });

  it('puts a program without phases in one stage, main', async () => {
    const r = await run('session "x"\n');
    expect(r.journal.stages).toEqual([
      { name: 'main', status: 'started' },
      { name: 'main', status: 'succeeded' },
    ]);
    expect(r.journal.tasks[0]?.stage).toBe('main');
  });

  it('fails clearly when a phase reads an input that was not given', async () => {
    const r = await run(phased, { phase: 'build' });
    expect(r.status).toBe('failed');
    expect(r.error?.message).toBe('input `target` was not given: pass target=VALUE to prose run');
  });

  it('asks for an input in the middle of a program when the run reaches it', async () => {
    const r = await run('session "one"\nphase later:\n  input target: "Where to?"\n  session "deploy to {target}"\n', { ask: (name) => (name === 'target' ? 'staging' : undefined) });
    expect(r.prompts).toEqual(['default: one', 'default: deploy to staging']);
  });

  it('asks for a top-level input declared after the first session only once that session has run', async () => {
    const journal = new MemoryJournal();
    const asked: string[] = [];
    const r = await run('input who: "Who?"\nsession "hello {who}"\ninput topic: "Which topic?"\nsession "write about {topic}"\n', {
      inputs: { who: 'Ada' },
      journal,
      ask: (name) => (asked.push(`${name} after ${journal.tasks.map((t) => t.status).join(',')}`), name === 'topic' ? 'tides' : undefined),
    });
    expect(asked).toEqual(['topic after succeeded']);
    expect(r.prompts).toEqual(['default: hello Ada', 'default: write about tides']);
    expect(journal.inputs).toEqual([{ site: '3:1', name: 'topic', value: 'tides' }]);
  });

  it('leaves a mid-program input that is given, defaulted or never read alone', async () => {
    const asked: string[] = [];
    const ask = (name: string) => (asked.push(name), 'x');
    const given = await run('session "one"\ninput topic: "t"\nsession "about {topic}"\n', { inputs: { topic: 'bees' }, ask });
    const defaulted = await run('session "one"\ninput topic: "t"\n  default: "ants"\nsession "about {topic}"\n', { ask });
    const unread = await run('session "one"\ninput topic: "t"\nsession "two"\n', { ask });
    expect([given.prompts[1], defaulted.prompts[1], unread.status]).toEqual(['default: about bees', 'default: about ants', 'succeeded']);
    expect(asked).toEqual([]);
  });
});

describe('the journal', () => {
  const program = ['let plan = session "Plan"', 'loop until **done** (max: 3) as i:', '  exec "make step{i}"', '  session "Step {i} of {plan}"', 'output result = plan'].join('\n');

  it('records every step before its effect and its value after, with deterministic keys', async () => {
    const r = await run(program, { answers: { default: ['P', 's0', 's1'] }, oracle: { done: [false, false, true] } });
    expect(r.journal.tasks.map((t) => [t.step, t.kind, t.status, t.value])).toEqual([
      ['1:12', 'session', 'succeeded', 'P'],
      ['2:1#0/3:3', 'exec', 'succeeded', { exit_code: 0, stdout: '', stderr: '' }],
      ['2:1#0/4:3', 'session', 'succeeded', 's0'],
      ['2:1#1/3:3', 'exec', 'succeeded', { exit_code: 0, stdout: '', stderr: '' }],
      ['2:1#1/4:3', 'session', 'succeeded', 's1'],
    ]);
  });

  it('replays recorded values on a second interpretation instead of calling the agent again', async () => {
    const first = await run(program, { answers: { default: ['P', 's0', { fail: 'crash' }] }, oracle: { done: [false, false, true] } });
    expect(first.status).toBe('failed');
    const second = await run(program, { journal: MemoryJournal.replaying(first.journal), answers: { default: ['s1 again'] }, oracle: { done: [true] } });
    expect(second.status).toBe('succeeded');
    // Only the step that failed runs again; the oracle is not asked again about the iterations it answered.
    expect(second.prompts).toEqual(['default: Step 1 of P']);
    expect(second.exec.requests.map((r) => r.args)).toEqual([]);
    expect(second.journal.tasks.map((t) => t.step)).toEqual(['2:1#1/4:3']);
    expect(second.events.filter((e) => e.type === 'step.replayed').map((e) => (e as { step: string }).step)).toEqual(['1:12', '2:1#0/3:3', '2:1#0/4:3', '2:1#1/3:3']);
    expect(second.journal.judgements.map((j) => j.iteration)).toEqual([2]);
    expect(second.outputs).toEqual({ result: 'P' });
  });
});

describe('cancellation and control', () => {
  it('ends a running agent and records the run as cancelled on abort', async () => {
    const controller = new AbortController();
    const agent: AgentPort = {
      run: (_request, io) =>
        new Promise((resolve) => {
          queueMicrotask(() => controller.abort());
          io.signal.addEventListener('abort', () => resolve({ ok: false, text: '', error: 'cancelled', exitCode: undefined, durationMs: 1, costUsd: undefined, sessionId: undefined, logFile: undefined }));
        }),
    };
    const r = await run('session "long"\nsession "never"\n', { agentPort: agent, signal: controller.signal });
    expect(r.status).toBe('cancelled');
    expect(r.journal.tasks.map((t) => `${t.status} ${t.reason}`)).toEqual(['skipped cancelled']);
    expect(r.journal.stages.at(-1)).toEqual({ name: 'main', status: 'skipped' });
  });

  it('pauses between steps when the ledger asks, and cancels on request', async () => {
    let requests: Array<'pause' | 'cancel' | undefined> = [undefined, undefined, 'pause'];
    const paused = await run('session "a"\nsession "b"\nsession "c"\n', { control: () => requests.shift() });
    expect(paused.status).toBe('paused');
    expect(paused.prompts).toEqual(['default: a']);
    requests = [undefined, 'cancel'];
    const cancelled = await run('session "a"\nsession "b"\n', { control: () => requests.shift() });
    expect(cancelled.status).toBe('cancelled');
  });
});

describe('persistent agents', () => {
  it('keeps memory across resume: and starts afresh on session:', async () => {
    const program = ['agent captain:', '  persist: true', '  prompt: "You coordinate."', 'session: captain', '  prompt: "Plan"', 'resume: captain', '  prompt: "Update"'].join('\n');
    const r = await run(program, { answers: { captain: [{ output: 'plan v1', session_id: 's-1' }, 'plan v2'] } });
    expect(r.agent.calls.map((c) => c.request.memory)).toEqual([undefined, { transcript: '> Plan\nplan v1\n', sessionId: 's-1' }]);
    expect(r.memory.memories.get('captain')).toEqual({ transcript: '> Plan\nplan v1\n> Update\nplan v2\n', sessionId: 's-1' });
  });
});
