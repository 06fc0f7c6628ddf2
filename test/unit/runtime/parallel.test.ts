import { describe, expect, it } from 'vitest';
import type { AgentCallIo, AgentPort, AgentRequest, AgentResult } from '../../../src/runtime/index.js';
import { run } from './harness.js';

const ok = (text: string): AgentResult => ({ ok: true, text, error: undefined, exitCode: 0, durationMs: 1, costUsd: undefined, sessionId: undefined, logFile: undefined });

/** Answers prompts that start with "fast" at once; the others run until they are cancelled. */
class RaceAgent implements AgentPort {
  readonly cancelled: string[] = [];
  readonly started: string[] = [];

  run(request: AgentRequest, io: AgentCallIo): Promise<AgentResult> {
    this.started.push(request.prompt);
    if (request.prompt.startsWith('fast')) return Promise.resolve(ok(request.prompt.toUpperCase()));
    return new Promise((resolve) => {
      io.signal.addEventListener('abort', () => {
        this.cancelled.push(request.prompt);
        resolve({ ...ok(''), ok: false, error: 'cancelled' });
      });
    });
  }
}

describe('parallel', () => {
  it('runs every branch, binds named results after the join, and gives an object of them', async () => {
    const program = ['let r = parallel:', '  security = session "sec"', '  perf = session "perf"', 'session "Synthesize"', '  context: {security, perf}', 'output r = r'].join('\n');
    const r = await run(program, { answers: { default: ['S', 'P', 'done'] } });
    expect(r.outputs).toEqual({ r: { security: 'S', perf: 'P' } });
    expect(r.agent.calls.at(-1)?.request.context).toEqual([
      { name: 'security', text: 'S' },
      { name: 'perf', text: 'P' },
    ]);
  });

  it('gives the list of unnamed branch values in program order, whatever the completion order', async () => {
    const r = await run('let xs = parallel:\n  session "a"\n  session "b"\n  "literal"\noutput xs = xs\n', { answers: { default: ['A', 'B'] }, order: [2, 1, 0] });
    expect(r.outputs).toEqual({ xs: ['A', 'B', 'literal'] });
  });

  it('takes the first branch to finish with "first" and cancels the others', async () => {
    const agent = new RaceAgent();
    const r = await run('let w = parallel ("first"):\n  session "slow one"\n  session "fast two"\n  session "slow three"\noutput w = w\n', withAgent(agent));
    expect(r.outputs).toEqual({ w: 'FAST TWO' });
    expect(agent.cancelled.sort()).toEqual(['slow one', 'slow three']);
    expect(r.journal.tasks.map((t) => `${t.inputs && (t.inputs as { prompt: string }).prompt}: ${t.status}${t.reason === null ? '' : ` (${t.reason})`}`)).toEqual([
      'slow one: skipped (cancelled)',
      'fast two: succeeded',
      'slow three: skipped (cancelled)',
    ]);
  });

  it('waits for count successes with "any", in completion order, and binds the losers to null', async () => {
    const program = ['let r = parallel ("any", count: 2):', '  a = session "a"', '  b = session "b"', '  c = session "c"', 'output r = r'].join('\n');
    const r = await run(program, { answers: { default: ['A', 'B', 'C'] }, order: [2, 0, 1] });
    expect(r.outputs).toEqual({ r: { a: 'A', b: null, c: 'C' } });
  });

  it('fails fast on the first failure by default, cancelling the branches still running', async () => {
    const agent = new RaceAgent();
    const failing = { run: (req: AgentRequest, io: AgentCallIo) => (req.prompt === 'bad' ? Promise.resolve({ ...ok(''), ok: false, error: 'exploded' }) : agent.run(req, io)) };
    const r = await run('parallel:\n  session "slow"\n  session "bad"\n', withAgent(failing));
    expect(r.status).toBe('failed');
    expect(r.error?.message).toBe('session default failed after 1 attempt (default): exploded');
    expect(agent.cancelled).toEqual(['slow']);
  });

  it('lets every branch finish with on-fail "continue", then fails with a summary', async () => {
    const r = await run('parallel (on-fail: "continue"):\n  session "a"\n  session "b"\n  session "c"\n', { answers: { default: ['A', { fail: 'no' }, 'C'] } });
    expect(r.agent.calls).toHaveLength(3);
    expect(r.error?.message).toBe('1 of 3 parallel branches failed: session default failed after 1 attempt (default): no');
  });

  it('reads failed branches as null with on-fail "ignore"', async () => {
    const r = await run('let xs = parallel (on-fail: "ignore"):\n  session "a"\n  session "b"\noutput xs = xs\n', { answers: { default: [{ fail: 'no' }, 'B'] } });
    expect(r.outputs).toEqual({ xs: [null, 'B'] });
  });

  it('runs one branch per item with parallel for, values in item order', async () => {
    const r = await run('let out = parallel for c, i in ["api", "ui"]:\n  let s = session "build {c} ({i})"\n  output {c, s}\noutput out = out\n', { answers: { default: ['ok1', 'ok2'] }, order: [1, 0] });
    expect(r.outputs).toEqual({ out: [{ c: 'api', s: 'ok1' }, { c: 'ui', s: 'ok2' }] });
  });

  it('never runs more agents at once than max_parallel_agents', async () => {
    let active = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const agent: AgentPort = {
      run: (request) =>
        new Promise((resolve) => {
          active += 1;
          peak = Math.max(peak, active);
          releases.push(() => {
            active -= 1;
            resolve(ok(request.prompt));
          });
        }),
    };
    const pump = setInterval(() => releases.shift()?.(), 1);
    const r = await run('parallel for x in [1, 2, 3, 4, 5, 6]:\n  session "job {x}"\n', { ...withAgent(agent), limits: { maxParallelAgents: 2 } });
    clearInterval(pump);
    expect(r.status).toBe('succeeded');
    expect(peak).toBe(2);
    expect(r.journal.tasks.map((t) => (t.inputs as { prompt: string }).prompt)).toEqual(['job 1', 'job 2', 'job 3', 'job 4', 'job 5', 'job 6']);
  });
});

function withAgent(agent: AgentPort): { agentPort: AgentPort } {
  return { agentPort: agent };
}
