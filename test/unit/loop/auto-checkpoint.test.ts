import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AutoCheckpoints } from '../../../src/loop/auto-checkpoint.js';
import { CappedAgents } from '../../../src/loop/capped-agents.js';
import type { AgentRequest, AgentResult } from '../../../src/runtime/ports.js';

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

describe('automatic checkpoints', () => {
  it('are taken every interval without a checkpoint, the program\u2019s own restarting the interval', async () => {
    const taken: number[] = [];
    const auto = new AutoCheckpoints(1000, async () => void taken.push(Date.now()), () => {});
    auto.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(taken).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(taken).toEqual([1000]);
    await vi.advanceTimersByTimeAsync(500);
    auto.touched();
    await vi.advanceTimersByTimeAsync(999);
    expect(taken).toEqual([1000]);
    await vi.advanceTimersByTimeAsync(1);
    expect(taken).toEqual([1000, 2500]);
    await auto.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(taken).toEqual([1000, 2500]);
  });

  it('report a checkpoint that failed and go on', async () => {
    const warnings: string[] = [];
    let calls = 0;
    const auto = new AutoCheckpoints(100, async () => {
      calls += 1;
      if (calls === 1) throw new Error('git is busy');
    }, (m) => warnings.push(m));
    auto.start();
    await vi.advanceTimersByTimeAsync(200);
    await auto.stop();
    expect([calls, warnings]).toEqual([2, ['automatic checkpoint failed: git is busy']]);
  });
});

describe('the agent timeout cap', () => {
  const result = (fields: Partial<AgentResult>): AgentResult => ({ ok: true, text: 'ok', error: undefined, exitCode: 0, durationMs: 1, costUsd: undefined, sessionId: undefined, logFile: undefined, ...fields });
  const request = (timeoutMs: number | undefined) => ({ agent: 'builder', prompt: 'p', system: undefined, model: undefined, context: [], skills: [], permissions: {}, timeoutMs, memory: undefined, logName: 'x' }) as AgentRequest;

  it('gives each call the shorter of its own timeout and the cap, and marks a call its timeout ended', async () => {
    const seen: Array<number | undefined> = [];
    const inner = { run: async (r: AgentRequest) => (seen.push(r.timeoutMs), r.prompt === 'slow' ? result({ ok: false, error: 'timed out after 20m' }) : result({})) };
    const capped = new CappedAgents(inner, 1_200_000, () => 1_800_000);
    const io = { signal: new AbortController().signal, onOutput: () => {} };
    await capped.run(request(undefined), io);
    await capped.run(request(60_000), io);
    expect(seen).toEqual([1_200_000, 60_000]);
    expect((await capped.run({ ...request(undefined), prompt: 'slow' }, io)).timedOut).toBe(true);
    expect((await new CappedAgents(inner, undefined, () => 1_800_000).run(request(undefined), io)).timedOut).toBeUndefined();
  });

  it('does not take an agent that failed on its own, saying something timed out, for one its timeout ended', async () => {
    const inner = { run: async () => result({ ok: false, error: 'exited 1: Error: upstream request timed out' }) };
    const io = { signal: new AbortController().signal, onOutput: () => {} };
    expect((await new CappedAgents(inner, 1_200_000, () => undefined).run(request(undefined), io)).timedOut).toBeUndefined();
  });
});
