import { describe, expect, it } from 'vitest';
import { TestWatcher, summaryLine, type TestRunResult, type WatchEvent } from '../../../src/watch/test-watcher.js';

/** A clock we advance by hand and a test command we finish by hand. */
function harness() {
  const timers: { at: number; fn: () => void }[] = [];
  let now = 0;
  const events: WatchEvent[] = [];
  const runs: { signal: AbortSignal; finish: (r: Partial<TestRunResult>) => void }[] = [];
  const watcher = new TestWatcher(
    {
      runTests: (signal) =>
        new Promise<TestRunResult>((resolve) => {
          const finish = (r: Partial<TestRunResult>) => resolve({ exitCode: 0, signal: undefined, output: '', durationMs: 1200, canceled: signal.aborted, ...r });
          signal.addEventListener('abort', () => finish({ exitCode: undefined, signal: 'SIGTERM' }));
          runs.push({ signal, finish });
        }),
      schedule: (fn, ms) => {
        const timer = { at: now + ms, fn };
        timers.push(timer);
        return () => timers.splice(timers.indexOf(timer), 1);
      },
      now: () => now,
      report: (e) => void events.push(e),
    },
    300,
  );
  const advance = async (ms: number) => {
    now += ms;
    for (const t of timers.filter((x) => x.at <= now)) {
      timers.splice(timers.indexOf(t), 1);
      t.fn();
    }
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { watcher, events, runs, advance };
}

describe('TestWatcher', () => {
  it('debounces a burst of changes into one run with every changed file', async () => {
    const h = harness();
    h.watcher.changed(['a.ts']);
    await h.advance(100);
    h.watcher.changed(['b.ts']);
    await h.advance(299);
    expect(h.runs).toHaveLength(0);
    await h.advance(1);
    expect(h.runs).toHaveLength(1);
    expect(h.events[0]).toEqual({ type: 'run-start', changed: ['a.ts', 'b.ts'] });
  });

  it('reports the result with counts parsed from the output', async () => {
    const h = harness();
    const run = h.watcher.runNow();
    await h.advance(0);
    h.runs[0]?.finish({ exitCode: 1, output: '\u001b[31m      Tests  1 failed | 4 passed (5)\u001b[39m' });
    await run;
    const end = h.events.at(-1);
    expect(end).toMatchObject({ type: 'run-end', passed: false, counts: { passed: 4, failed: 1, skipped: 0 } });
    if (end?.type === 'run-end') expect(summaryLine(end)).toBe('✗ 1 failed, 4 passed · 1.2s');
  });

  it('cancels the run in flight when files change again, then runs once more', async () => {
    const h = harness();
    void h.watcher.runNow();
    await h.advance(0);
    h.watcher.changed(['c.ts']);
    expect(h.runs[0]?.signal.aborted).toBe(true);
    expect(h.events.map((e) => e.type)).toEqual(['run-start', 'run-canceled']);
    await h.advance(300);
    expect(h.runs).toHaveLength(2);
    h.runs[1]?.finish({ exitCode: 0, output: '      Tests  5 passed (5)' });
    await h.advance(0);
    expect(h.events.map((e) => e.type)).toEqual(['run-start', 'run-canceled', 'run-start', 'run-end']);
  });

  it('summarizes a run without known counts by its exit', () => {
    const line = summaryLine({ type: 'run-end', passed: false, counts: undefined, result: { exitCode: 2, signal: undefined, output: '', durationMs: 300, canceled: false } });
    expect(line).toBe('✗ failed (exit 2) · 0.3s');
  });

  it('stops restarting when every run changes the same file itself, and says which file', async () => {
    const h = harness();
    void h.watcher.runNow();
    await h.advance(0);
    h.watcher.changed(['out.txt']);
    await h.advance(300);
    h.watcher.changed(['out.txt']);
    await h.advance(300);
    expect(h.runs).toHaveLength(3);
    h.watcher.changed(['out.txt']);
    expect(h.runs[2]?.signal.aborted).toBe(false);
    expect(h.events.at(-1)).toEqual({ type: 'run-writes', paths: ['out.txt'] });
    h.runs[2]?.finish({ exitCode: 0 });
    await h.advance(0);
    h.watcher.changed(['out.txt']);
    await h.advance(5000);
    expect(h.runs).toHaveLength(3);
    expect(h.events.filter((e) => e.type === 'run-canceled')).toHaveLength(2);
    expect(h.events.at(-1)?.type).toBe('run-end');
  });

  it('keeps restarting for a file a person edits, even when every run sees it change', async () => {
    const h = harness();
    h.watcher.changed(['a.ts']);
    for (let run = 0; run < 4; run++) {
      await h.advance(300);
      h.watcher.changed(['a.ts']);
      expect(h.runs[run]?.signal.aborted).toBe(true);
    }
    expect(h.events.some((e) => e.type === 'run-writes')).toBe(false);
  });

  it("runs again when a person edits a file it had taken for the runs' own", async () => {
    const h = harness();
    void h.watcher.runNow();
    for (let run = 0; run < 3; run++) {
      await h.advance(0);
      h.watcher.changed(['out.txt']);
      await h.advance(300);
    }
    h.runs[2]?.finish({ exitCode: 0 });
    await h.advance(0);
    await h.advance(2000);
    h.watcher.changed(['out.txt']);
    await h.advance(300);
    expect(h.runs).toHaveLength(4);
    expect(h.events.at(-1)).toEqual({ type: 'run-start', changed: ['out.txt'] });
  });

  it('takes a change just after a run ended for that run, without cancelling anything', async () => {
    const h = harness();
    const first = h.watcher.runNow();
    await h.advance(0);
    h.runs[0]?.finish({ exitCode: 0 });
    await first;
    h.watcher.changed(['late.txt']);
    expect(h.events.map((e) => e.type)).toEqual(['run-start', 'run-end']);
    await h.advance(300);
    expect(h.runs).toHaveLength(2);
  });

  it('stops the current run on close and starts no other', async () => {
    const h = harness();
    void h.watcher.runNow();
    await h.advance(0);
    h.watcher.changed(['x.ts']);
    await h.watcher.close();
    await h.advance(1000);
    expect(h.runs).toHaveLength(1);
  });
});
