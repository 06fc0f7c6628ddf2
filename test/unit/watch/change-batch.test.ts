import { describe, expect, it } from 'vitest';
import { ChangeBatch } from '../../../src/watch/change-batch.js';

/** Timers fired by hand, and a filter whose answers the test gives. */
function harness() {
  const timers: (() => void)[] = [];
  const asked: { paths: string[]; answer: (kept: string[] | Error) => void }[] = [];
  const delivered: string[][] = [];
  const batch = new ChangeBatch(
    {
      keep: (paths) =>
        new Promise((resolve, reject) => {
          asked.push({ paths, answer: (kept) => (kept instanceof Error ? reject(kept) : resolve(kept)) });
        }),
      deliver: (paths) => void delivered.push(paths),
      schedule: (fn) => {
        timers.push(fn);
        return () => timers.splice(timers.indexOf(fn), 1);
      },
    },
    50,
  );
  const fire = async () => {
    for (const fn of timers.splice(0)) fn();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { batch, asked, delivered, fire };
}

describe('ChangeBatch', () => {
  it('asks the filter once per burst and delivers only what it keeps', async () => {
    const h = harness();
    h.batch.add('a.ts');
    h.batch.add('junit.xml');
    h.batch.add('a.ts');
    await h.fire();
    expect(h.asked.map((a) => a.paths)).toEqual([['a.ts', 'junit.xml']]);
    h.asked[0]?.answer(['a.ts']);
    await h.fire();
    expect(h.delivered).toEqual([['a.ts']]);
  });

  it('delivers nothing when every path is filtered out', async () => {
    const h = harness();
    h.batch.add('junit.xml');
    await h.fire();
    h.asked[0]?.answer([]);
    await h.fire();
    expect(h.delivered).toEqual([]);
  });

  it('keeps changes made while the filter works for the next burst, in order', async () => {
    const h = harness();
    h.batch.add('a.ts');
    await h.fire();
    h.batch.add('b.ts');
    await h.fire();
    expect(h.asked).toHaveLength(1);
    h.asked[0]?.answer(['a.ts']);
    await h.fire();
    await h.fire();
    expect(h.asked.map((a) => a.paths)).toEqual([['a.ts'], ['b.ts']]);
    h.asked[1]?.answer(['b.ts']);
    await h.fire();
    expect(h.delivered).toEqual([['a.ts'], ['b.ts']]);
  });

  it('lets the whole burst through when the filter fails', async () => {
    const h = harness();
    h.batch.add('a.ts');
    await h.fire();
    h.asked[0]?.answer(new Error('git broke'));
    await h.fire();
    expect(h.delivered).toEqual([['a.ts']]);
  });
});
