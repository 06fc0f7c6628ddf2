import { describe, expect, it } from 'vitest';
import { run } from './harness.js';

describe('retries, backoff and fallback agents', () => {
  it('retries a failing session with exponential backoff on the clock, each attempt its own task', async () => {
    const r = await run('session "Call the API"\n  retry: 3\n  backoff: exponential\n', { answers: { default: [{ fail: 'rate limited' }, { fail: 'rate limited' }, 'ok'] } });
    expect(r.status).toBe('succeeded');
    expect(r.clock.sleeps).toEqual([1000, 2000]);
    expect(r.journal.tasks.map((t) => [t.attempt, t.status, t.step])).toEqual([
      [1, 'failed', '1:1'],
      [2, 'failed', '1:1'],
      [3, 'succeeded', '1:1'],
    ]);
    expect(r.journal.tasks[0]?.retries).toEqual([{ attempt: 2, delayMs: 1000, error: 'rate limited' }]);
    expect(r.events.filter((e) => e.type === 'step.retry').map((e) => (e as { delayMs: number }).delayMs)).toEqual([1000, 2000]);
  });

  it('waits linearly, or not at all', async () => {
    const fails = { default: [{ fail: 'x' }, { fail: 'x' }, { fail: 'x' }, 'ok'] };
    expect((await run('session "a"\n  retry: 3\n  backoff: linear\n', { answers: fails })).clock.sleeps).toEqual([1000, 2000, 3000]);
    expect((await run('session "a"\n  retry: 3\n  backoff: none\n', { answers: fails })).clock.sleeps).toEqual([0, 0, 0]);
  });

  it('takes retry and backoff from the agent definition, the session overriding', async () => {
    const program = 'agent caller:\n  retry: 1\n  backoff: linear\n  prompt: "You call APIs."\nsession: caller\n  prompt: "Go"\n';
    const r = await run(program, { answers: { caller: [{ fail: 'x' }, 'ok'] } });
    expect(r.clock.sleeps).toEqual([1000]);
    expect(r.status).toBe('succeeded');
  });

  it('hands the same request to the fallback agents when retries are exhausted', async () => {
    const program = ['agent primary:', '  prompt: "You are primary."', 'agent backup:', '  model: haiku', 'session: primary', '  prompt: "Fix the bug"', '  retry: 1', '  fallback: [backup, default]'].join('\n');
    const r = await run(program, { answers: { primary: { fail: 'down' }, backup: { fail: 'also down' }, default: 'fixed' } });
    expect(r.status).toBe('succeeded');
    expect(r.agent.calls.map((c) => [c.agent, c.request.prompt, c.request.system, c.request.model])).toEqual([
      ['primary', 'Fix the bug', 'You are primary.', undefined],
      ['primary', 'Fix the bug', 'You are primary.', undefined],
      ['backup', 'Fix the bug', 'You are primary.', 'haiku'],
      ['backup', 'Fix the bug', 'You are primary.', 'haiku'],
      ['default', 'Fix the bug', 'You are primary.', undefined],
    ]);
    expect(r.journal.tasks.map((t) => `${t.attempt} ${t.agent} ${t.status}`)).toEqual(['1 primary failed', '2 primary failed', '3 backup failed', '4 backup failed', '5 default succeeded']);
    expect(r.events.filter((e) => e.type === 'step.fallback')).toEqual([
      { type: 'step.fallback', step: '5:1', from: 'primary', to: 'backup' },
      { type: 'step.fallback', step: '5:1', from: 'backup', to: 'default' },
    ]);
  });

  it('fails the run when every attempt of every agent failed', async () => {
    const r = await run('session "x"\n  retry: 1\n', { answers: { default: { fail: 'nope' } } });
    expect(r.status).toBe('failed');
    expect(r.error?.message).toBe('session default failed after 2 attempts (default): nope');
  });

  it('retries a failing exec', async () => {
    let calls = 0;
    const { FakeExec } = await import('./harness.js');
    const exec = new FakeExec(() => (++calls < 2 ? { exitCode: 1, stderr: 'flaky' } : {}));
    const r = await run('exec "npm test"\n  retry: 2\n  backoff: none\n', { exec });
    expect(r.status).toBe('succeeded');
    expect(r.journal.tasks.map((t) => t.status)).toEqual(['failed', 'succeeded']);
  });
});
