import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BROKEN_ADD, FIXED_ADD, loopConfig, loopProject, fixLoop, type LoopProject } from './loop-fixture.js';

let project: LoopProject | undefined;
afterEach(() => project?.cleanup());

const FIX_LOOP = fixLoop(6);

function deviations(p: LoopProject, runId: string, kind: string): number {
  const db = p.ledger();
  try {
    return db.events({ runId }).filter((e) => e.event.type === 'deviation' && e.event.kind === kind).length;
  } finally {
    db.close();
  }
}

describe('the agentic loop across prose resume', () => {
  it('still judges by the gates of the run\u2019s start after a resume: a refused change to a gate\u2019s command is not trusted', async () => {
    const weakened = loopConfig().replace('run: "node checks/tap.mjs", tap: true', 'run: "true"');
    project = loopProject({ config: loopConfig(), program: 'session "Make add faster"\nlet r = verify unit\noutput status = r.status\n', script: [{ write: { 'src/math.js': BROKEN_ADD, 'choiros.yaml': weakened } }] });
    const first = await project.prose(['run', 'p.prose']);
    expect(first.exitCode).toBe(4);
    const id = project.runId();
    const rejected = await project.choiros(['reject', id]);
    expect(rejected.exitCode).toBe(0);
    const resumed = await project.prose(['resume', id]);
    expect(resumed.stdout).toContain('status = error');
    expect(project.tasks(id).find((t) => t.task === 'gate checks')).toMatchObject({ status: 'succeeded', approvalState: 'rejected' });
    expect(deviations(project, id, 'ChecksChanged')).toBe(1);
  });

  it('records the same failure three times once, however often the run is resumed past it', async () => {
    project = loopProject({ config: loopConfig(), program: FIX_LOOP, script: [{ write: { 'src/math.js': BROKEN_ADD } }] });
    expect((await project.prose(['run', 'p.prose'])).exitCode).toBe(4);
    const id = project.runId();
    expect((await project.choiros(['reject', id])).exitCode).toBe(0);
    expect((await project.prose(['resume', id])).exitCode).toBe(3);
    expect(deviations(project, id, 'SameFailure')).toBe(1);
  });

  it('lets a human tell an autonomous run stopped by the same failure to keep trying: approve, then resume', async () => {
    project = loopProject({ config: loopConfig(), program: FIX_LOOP, script: [{ write: { 'src/math.js': BROKEN_ADD } }, { write: { 'src/math.js': BROKEN_ADD } }, { write: { 'src/math.js': BROKEN_ADD } }, { write: { 'src/math.js': FIXED_ADD } }] });
    const first = await project.prose(['run', 'p.prose', 'mode=autonomous']);
    expect(first.exitCode).toBe(3);
    const id = project.runId();
    const again = await project.prose(['resume', id]);
    expect(again.exitCode).toBe(3);
    expect(project.agentCalls()).toHaveLength(3);
    const approved = await project.choiros(['approve', id]);
    expect(approved.stdout).toContain('gate stuck');
    const resumed = await project.prose(['resume', id]);
    expect([resumed.exitCode, resumed.stdout]).toEqual([0, expect.stringContaining('passed = true')]);
    expect(project.agentCalls()).toHaveLength(4);
  });

  it('cancels at once a run no process is running (waiting for approval): the run is cancelled and its gate no longer waits', async () => {
    project = loopProject({ config: loopConfig(), program: 'gate deploy:\n  prompt: "Ship it?"\nexec "true"\n' });
    expect((await project.prose(['run', 'p.prose'])).exitCode).toBe(4);
    const id = project.runId();
    const cancel = await project.choiros(['cancel', id]);
    expect([cancel.exitCode, cancel.stderr]).toEqual([0, '']);
    expect(cancel.stdout).toContain(`Cancelled ${id}: no process was running it`);
    const db = project.ledger();
    const [run, waiting] = [db.run(id), db.tasksOfRun(id).find((t) => t.task === 'gate deploy')];
    db.close();
    expect(run).toMatchObject({ status: 'cancelled', control: null });
    expect(waiting).toMatchObject({ status: 'skipped', reason: 'cancelled' });
    expect((await project.choiros(['approve', id])).exitCode).not.toBe(0);
  });

  it('counts a deadline given to prose resume from the resume, not from a first start days ago', async () => {
    project = loopProject({ config: loopConfig(), program: 'gate deploy:\n  prompt: "Ship it?"\nexec "true"\noutput shipped = true\n' });
    expect((await project.prose(['run', 'p.prose'])).exitCode).toBe(4);
    const id = project.runId();
    const db = project.ledger();
    db.transaction(() => db.db.prepare('UPDATE runs SET started_at = ? WHERE id = ?').run(new Date(Date.now() - 2 * 86_400_000).toISOString(), id));
    db.close();
    expect((await project.choiros(['approve', id])).exitCode).toBe(0);
    const later = new Date(Date.now() + 6 * 3_600_000);
    const clock = `${String(later.getHours()).padStart(2, '0')}:${String(later.getMinutes()).padStart(2, '0')}`;
    const resumed = await project.prose(['resume', id, `deadline=${clock}`]);
    expect([resumed.exitCode, resumed.stdout]).toEqual([0, expect.stringContaining('shipped = true')]);
  });

  it('says what to do when the task approved does not wait (anymore)', async () => {
    project = loopProject({ config: loopConfig(), program: 'exec "true"\ngate deploy:\n  prompt: "Ship it?"\n' });
    expect((await project.prose(['run', 'p.prose'])).exitCode).toBe(4);
    const id = project.runId();
    const [exec, gate] = project.tasks(id);
    const notWaiting = await project.choiros(['approve', String(exec?.id)]);
    expect(notWaiting.exitCode).toBe(1);
    expect(notWaiting.stderr).toContain(`Task ${exec?.id} is not waiting for approval (it is succeeded).`);
    expect(notWaiting.stderr).toContain('Tasks waiting for approval: choiros runs --status awaiting_approval');
    expect((await project.choiros(['approve', String(gate?.id), '--by', 'ann'])).exitCode).toBe(0);
    const twice = await project.choiros(['reject', String(gate?.id)]);
    expect(twice.stderr).toContain(`Task ${gate?.id} was already approved by ann.`);
    expect(twice.stderr).toContain(`prose resume ${id} goes on with that answer`);
  });

  it('sees an agent rewrite a gate’s script in a project that is a folder of a larger repository', async () => {
    const cheat = 'console.log("TAP version 13\\nok 1 - all\\n1..1");\n';
    project = loopProject({ config: loopConfig(), program: 'session "Make add faster"\nlet r = verify unit\noutput status = r.status\n', script: [{ write: { 'src/math.js': BROKEN_ADD, 'checks/tap.mjs': cheat } }] });
    // The repository is the folder above the project (its home and the agent's state ignored).
    const base = dirname(project.root);
    rmSync(join(project.root, '.git'), { recursive: true, force: true });
    writeFileSync(join(base, '.gitignore'), 'home/\nagent/\n');
    project.git('-C', base, 'init', '-q');
    project.git('-C', base, 'add', '-A');
    project.git('-C', base, 'commit', '-q', '-m', 'a repository with the project in a folder');
    const run = await project.prose(['run', 'p.prose', 'mode=autonomous']);
    expect(run.stderr).toContain('warning: the candidate changed what the gates check: a file gate \'unit\' runs changed: checks/tap.mjs');
    expect(run.stdout).toContain('status = error');
  });
});
