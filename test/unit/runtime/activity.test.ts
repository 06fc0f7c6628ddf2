import { describe, expect, it } from 'vitest';
import { StepWatch } from '../../../src/runtime/activity.js';
import { MemoryJournal } from '../../../src/runtime/index.js';
import { waitFor } from '../../helpers/wait.js';

function record() {
  const journal = new MemoryJournal();
  const rec = journal.start({ step: '1:1', kind: 'session', task: 'session default', stage: null, agent: 'default', attempt: 1, inputs: {} });
  return { rec, task: journal.tasks[0] };
}

describe('watching a running step', () => {
  it('batches output into lines, never one event per line', async () => {
    const { rec, task } = record();
    const shown: string[][] = [];
    const watch = new StepWatch(rec, (lines) => shown.push(lines), undefined, 0);
    for (let i = 0; i < 120; i++) watch.output(`line ${i}\n`);
    watch.output('partial');
    await watch.stop();
    expect(shown.map((batch) => batch.length)).toEqual([50, 50, 21]);
    expect(task?.lines.at(-1)).toBe('partial');
    expect(task?.activity).toEqual([]);
  });

  it('samples output bytes, CPU time of the tree and changed files while the step runs', async () => {
    const { rec, task } = record();
    let cpu = 0;
    const watch = new StepWatch(rec, () => {}, { cpuMs: (pid) => (pid === 42 ? (cpu += 10) : 0), fileChanges: async () => 3 }, 20);
    watch.spawned(42);
    watch.output('hello\n');
    await waitFor(() => (task?.activity.length ?? 0) >= 2, 2000, 'two samples');
    await watch.stop();
    expect(task?.activity[0]).toEqual({ outputBytes: 6, cpuMs: 10, fileChanges: 3 });
    expect(task?.activity.at(-1)?.cpuMs).toBeGreaterThan(10);
  });
});

describe('CPU time from /proc', () => {
  it('reads utime, stime, cutime and cstime of a stat line, whatever the command name holds', async () => {
    const { cpuTicks, treeCpuMs } = await import('../../../src/process/cpu.js');
    expect(cpuTicks('4242 (node (x) y) S 1 4242 4242 0 -1 4194304 100 0 0 0 150 25 7 3 20 0 11 0')).toBe(185);
    expect(treeCpuMs(process.pid)).toBeGreaterThan(0);
  });
});
