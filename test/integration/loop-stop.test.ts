import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BROKEN_ADD, loopConfig, loopProject, fixLoop, type LoopProject } from './loop-fixture.js';

let project: LoopProject | undefined;
afterEach(() => project?.cleanup());

const ORIGINAL_ADD = readFileSync(new URL('../fixtures/loop/project/src/math.js', import.meta.url), 'utf8');

const FIX_LOOP = fixLoop(6);

function rollbacks(p: LoopProject, runId: string): number {
  const db = p.ledger();
  try {
    return db.events({ runId }).filter((e) => e.event.type === 'rollback').length;
  } finally {
    db.close();
  }
}

describe('a run stopped at a limit leaves the work tree at its last good state', () => {
  it('rolls the third identical failure back before stopping, and keeps it as a ref', async () => {
    project = loopProject({ config: loopConfig(), program: FIX_LOOP, script: [{ write: { 'src/math.js': BROKEN_ADD } }] });
    const run = await project.prose(['run', 'p.prose', 'mode=autonomous']);
    const id = project.runId();
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toContain('■ run stopped at a limit');
    expect(run.stdout).toContain('verification failed the same way 3 times in a row');
    expect(project.git('diff', '--stat')).toBe('');
    expect(project.read('src/math.js')).toBe(ORIGINAL_ADD);
    expect(project.git('show', `refs/choiros/unfinished/${id}:src/math.js`)).toBe(BROKEN_ADD);
    expect(run.stderr).toContain(`what the run left is kept as refs/choiros/unfinished/${id} (choiros rollback refs/choiros/unfinished/${id} brings it back)`);
    // Two rollbacks by the program's loop, the third by the stop.
    expect(rollbacks(project, id)).toBe(3);
    const report = readFileSync(join(project.runFolder(id), 'report.md'), 'utf8');
    expect(report).toMatch(new RegExp(`- the work tree was rolled back to checkpoint-\\S+ when the run stopped: what it held \\(a failed candidate, or an agent's unfinished edits\\) is kept as \`refs/choiros/unfinished/${id}\``));

    // A resume that stops at the same place again has nothing left to roll back.
    const again = await project.prose(['resume', id]);
    expect(again.exitCode).toBe(3);
    expect(again.stderr).not.toContain('went back to');
    expect(rollbacks(project, id)).toBe(3);
  });

  it('rolls an agent ended by the deadline back, half-done edits and new files alike, and says so in the morning report', async () => {
    project = loopProject({ config: loopConfig(), program: 'checkpoint good "start"\nsession "Refactor everything"\noutput done = true\n', script: [{ write: { 'src/math.js': BROKEN_ADD, 'src/half.js': 'export const half =' }, sleep_ms: 30_000 }] });
    const run = await project.prose(['run', 'p.prose', 'mode=autonomous', 'deadline=3s']);
    const id = project.runId();
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toContain('the deadline 3s passed');
    expect([project.read('src/math.js'), existsSync(join(project.root, 'src/half.js'))]).toEqual([ORIGINAL_ADD, false]);
    expect(project.git('show', `refs/choiros/unfinished/${id}:src/half.js`)).toBe('export const half =');
    const report = readFileSync(join(project.runFolder(id), 'report.md'), 'utf8');
    expect(report).toContain(`is kept as \`refs/choiros/unfinished/${id}\`, and \`choiros rollback refs/choiros/unfinished/${id}\` brings it back`);
    expect(report).toMatch(/## Rollbacks\n\n- to checkpoint-\S+ — undo with `choiros rollback pre-rollback\/\d+`/);
  });

  it('leaves the tree as it is with rollback_on_failure=false', async () => {
    project = loopProject({ config: loopConfig(), program: FIX_LOOP.replace('  rollback\n', ''), script: [{ write: { 'src/math.js': BROKEN_ADD } }] });
    const run = await project.prose(['run', 'p.prose', 'mode=autonomous', 'rollback_on_failure=false']);
    expect(run.exitCode).toBe(3);
    expect(project.read('src/math.js')).toBe(BROKEN_ADD);
  });
});
