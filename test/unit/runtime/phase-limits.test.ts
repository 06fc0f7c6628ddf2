import { describe, expect, it } from 'vitest';
import { FakeClock, run } from './harness.js';

const limited = ['phase build:', '  timeout: "1m"', '  session "first"', '  session "second"', 'phase ship:', '  session "third"'].join('\n');

describe('a phase timeout', () => {
  it('stops the run at a limit when it passes during a step, with a StageTimeout deviation, and leaves the stage unfinished', async () => {
    const clock = new FakeClock();
    const r = await run(limited, { clock, answers: { default: [{ output: 'slow', delay_ms: 90_000 }, { output: 'ok' }] } });
    expect(r.status).toBe('limit');
    expect(r.error?.message).toBe('phase build ran past its timeout of 1m00s');
    expect(r.prompts).toEqual(['default: first']);
    expect(r.journal.deviations).toEqual([{ kind: 'StageTimeout', stage: 'build', detail: 'stopped at its 1m00s limit' }]);
    // Like any cap: `prose resume` goes on with the stage.
    expect(r.journal.stages).toEqual([{ name: 'build', status: 'started' }]);
  });

  it('is checked before each step when the clock has no alarm', async () => {
    const clock = new FakeClock();
    const noAlarm = { now: () => clock.now(), sleep: (ms: number) => clock.sleep(ms) };
    const r = await run(limited, { clock: noAlarm as FakeClock, answers: { default: [{ output: 'slow', delay_ms: 61_000 }, { output: 'ok' }] } });
    expect(r.status).toBe('limit');
    expect(r.prompts).toEqual(['default: first']);
    expect(r.journal.tasks.map((t) => t.status)).toEqual(['succeeded']);
    expect(r.journal.deviations.map((d) => d.kind)).toEqual(['StageTimeout']);
  });

  it('ends with its phase: a later phase without a limit runs as long as it takes', async () => {
    const r = await run(limited, { answers: { default: [{ output: 'a', delay_ms: 20_000 }, { output: 'b', delay_ms: 20_000 }, { output: 'c', delay_ms: 600_000 }] } });
    expect(r.status).toBe('succeeded');
    expect(r.prompts).toEqual(['default: first', 'default: second', 'default: third']);
    expect(r.journal.deviations).toEqual([]);
  });
});
