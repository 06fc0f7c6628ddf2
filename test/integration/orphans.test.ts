import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/ledger.js';
import { settleOrphanedRuns } from '../../src/loop/reconcile.js';
import { startTicksOf } from '../../src/process/lock.js';
import { commandLineOf, isAlive, listProcesses } from '../../src/process/tree.js';
import { waitFor } from '../helpers/wait.js';
import { loopProject, type LoopProject } from './loop-fixture.js';

let project: LoopProject | undefined;
let strays: number[] = [];
afterEach(() => {
  // Whatever a failed test left running is ended here, by the pids it recorded.
  for (const pid of strays) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  strays = [];
  project?.cleanup();
  project = undefined;
});

/** `sleep 301.<marker>` and `sleep 302.<marker>`: durations no other process on the machine uses. */
function sleeps(marker: string): number[] {
  const wanted = [`sleep 301.${marker}`, `sleep 302.${marker}`];
  return listProcesses()
    .filter((p) => p.state !== 'Z' && wanted.includes(commandLineOf(p.pid) ?? ''))
    .map((p) => p.pid);
}

/**
 * A run whose agent (a shell) started two children, and whose runner was then killed with
 * SIGKILL while the agent ran: the agent and its children outlive it.
 */
async function orphanedRun(): Promise<{ p: LoopProject; runId: string; marker: string; pids: number[] }> {
  const marker = String(randomInt(100_000, 999_999));
  const agent = `sleep 301.${marker} & sleep 302.${marker} & echo started; wait`;
  const config = `agents:\n  default: { command: ["sh", "-c", ${JSON.stringify(agent)}, "sh", "{prompt}"] }\n`;
  const p = loopProject({ config, program: 'session "Work on it"\n', extra: { 'p2.prose': 'exec "true"\n' } });
  project = p;
  const runner: ChildProcess = p.spawnProse(['run', 'p.prose']);
  const exited = new Promise((resolve) => runner.on('exit', resolve));
  const pids = await waitFor(() => (sleeps(marker).length === 2 ? sleeps(marker) : undefined), 20_000, 'the agent’s two sleeps');
  strays.push(...pids);
  runner.kill('SIGKILL');
  await exited;
  expect(pids.every(isAlive)).toBe(true);
  return { p, runId: p.runId(), marker, pids };
}

describe('the agents of a run whose runner was killed', () => {
  it('are ended by choiros cancel, which records the run cancelled', async () => {
    const { p, runId, marker } = await orphanedRun();
    const cancel = await p.choiros(['cancel', runId]);
    expect([cancel.exitCode, cancel.stderr]).toEqual([0, '']);
    expect(cancel.stdout).toContain(`Cancelled ${runId}: no process was running it (it was interrupted).`);
    expect(cancel.stdout).toMatch(/The processes its agents left running were ended \(pid \d+(, \d+)+\)\./);
    expect(sleeps(marker)).toEqual([]);
    const db = p.ledger();
    try {
      expect(db.run(runId).status).toBe('cancelled');
      expect(db.tasksOfRun(runId).map((t) => [t.task, t.status, t.reason])).toEqual([['session default', 'failed', 'interrupted']]);
    } finally {
      db.close();
    }
  });

  it('are ended by the next prose run, which takes over the stale run lock, before its own steps run', async () => {
    const { p, runId, marker } = await orphanedRun();
    const next = await p.prose(['run', 'p2.prose']);
    expect(next.exitCode).toBe(0);
    expect(next.stderr).toContain(`${runId} was left running by a process that died: it is recorded interrupted; the processes its agents left running were ended (pid `);
    expect(sleeps(marker)).toEqual([]);
    expect(p.tasks(runId).map((t) => [t.status, t.reason])).toEqual([['failed', 'interrupted']]);
  });

  it('are ended when a view settles the run, and choiros runs then shows its task interrupted, not running', async () => {
    const { p, runId, marker } = await orphanedRun();
    const listed = await p.choiros(['runs', '--run', runId]);
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout).toMatch(/session default +failed \(interrupted\)/);
    expect(listed.stdout).not.toContain('running');
    expect(sleeps(marker)).toEqual([]);
    expect((await p.choiros(['runs', '--task', 'session default'])).stdout).toMatch(/session default +failed \(interrupted\)/);
    expect((await p.choiros(['runs', '--task', 'session:default'])).stdout).toBe('No tasks match. Task names are written with a space: --task "session default".\n');
    const db = p.ledger();
    try {
      expect(db.run(runId).status).toBe('interrupted');
    } finally {
      db.close();
    }
  });
});

describe('settling orphaned runs', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('ends only the processes recorded for the run that are still the same process, never a pid recorded with another start time', async () => {
    dir = mkdtempSync(join(tmpdir(), 'choiros-orphans-'));
    const ledger = Ledger.open(join(dir, 'ledger.db'));
    try {
      const gone = spawn('true');
      await new Promise((resolve) => gone.on('exit', resolve));
      const ours = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
      const stranger = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
      for (const child of [ours, stranger]) strays.push(child.pid ?? 0);
      const run = ledger.createRun({ program: 'p.prose', programHash: 'h', pid: gone.pid ?? null });
      const task = ledger.createTask({ task: 'session default', runId: run.id, status: 'running' });
      const ticks = (pid: number | undefined) => startTicksOf(pid ?? 0) ?? 0;
      ledger.append(run.id, { type: 'task.process', taskId: task.id, pid: ours.pid ?? 0, startTicks: ticks(ours.pid) }, task.id);
      // The same pid, started at another time: a stranger that reused it.
      ledger.append(run.id, { type: 'task.process', taskId: task.id, pid: stranger.pid ?? 0, startTicks: ticks(stranger.pid) + 1 }, task.id);

      const [settled] = await settleOrphanedRuns(ledger, join(dir, 'run.lock'), 2000);
      expect(settled?.ended).toEqual([ours.pid]);
      expect(isAlive(ours.pid ?? 0)).toBe(false);
      expect(isAlive(stranger.pid ?? 0)).toBe(true);
      expect(ledger.run(run.id)).toMatchObject({ status: 'interrupted' });
      expect(ledger.task(task.id)).toMatchObject({ status: 'failed', reason: 'interrupted' });
      expect(await settleOrphanedRuns(ledger, join(dir, 'run.lock'), 2000)).toEqual([]);
    } finally {
      ledger.close();
    }
  });

  it('ends what is left in the session of a recorded process that has exited', async () => {
    dir = mkdtempSync(join(tmpdir(), 'choiros-orphans-'));
    const ledger = Ledger.open(join(dir, 'ledger.db'));
    try {
      // A shell that starts a child in the background and exits: the child keeps its session.
      const shell = spawn('sh', ['-c', 'sleep 300 & sleep 0.3'], { detached: true, stdio: 'ignore' });
      const leader = shell.pid ?? 0;
      const ticks = startTicksOf(leader) ?? 0;
      await new Promise((resolve) => shell.on('exit', resolve));
      const left = listProcesses().filter((p) => p.sid === leader && p.state !== 'Z').map((p) => p.pid);
      strays.push(...left);
      expect(left).toHaveLength(1);
      const run = ledger.createRun({ program: 'p.prose', programHash: 'h', pid: leader });
      const task = ledger.createTask({ task: 'session default', runId: run.id, status: 'running' });
      ledger.append(run.id, { type: 'task.process', taskId: task.id, pid: leader, startTicks: ticks }, task.id);

      const [settled] = await settleOrphanedRuns(ledger, join(dir, 'run.lock'), 2000);
      expect(settled?.ended).toEqual(left);
      expect(left.some(isAlive)).toBe(false);
    } finally {
      ledger.close();
    }
  });
});
