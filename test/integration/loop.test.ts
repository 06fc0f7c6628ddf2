import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../src/ledger/model.js';
import { BROKEN_ADD, FAIL_ONCE, FIXED_ADD, loopConfig, loopProject, fixLoop, type LoopProject } from './loop-fixture.js';

let project: LoopProject | undefined;
afterEach(() => project?.cleanup());

const FIX_LOOP = fixLoop(4);

const ORIGINAL_TEST = readFileSync(new URL('../fixtures/loop/project/test/math.test.mjs', import.meta.url), 'utf8');

/** `name verdict` of every checkpoint tag, oldest first. */
function checkpoints(p: LoopProject): string[] {
  return p
    .git('for-each-ref', '--sort=creatordate', '--format=%(contents:subject) %(contents:trailers:key=Choiros-Verdict,valueonly)', 'refs/tags/checkpoint-*')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

function events(p: LoopProject, runId: string): LedgerEvent[] {
  const db = p.ledger();
  try {
    return db.events({ runId }).map((e) => e.event);
  } finally {
    db.close();
  }
}

describe('the agentic loop, end to end', () => {
  it('rolls an agent that breaks the build back once, hands the fixer the digest, and passes', async () => {
    project = loopProject({ config: loopConfig(), program: FIX_LOOP, script: [{ write: { 'src/math.js': BROKEN_ADD } }, { write: { 'src/math.js': FIXED_ADD } }] });
    const run = await project.prose(['run', 'p.prose']);
    expect(run.stderr).toBe('');
    expect([run.exitCode, run.stdout]).toEqual([0, expect.stringContaining('passed = true')]);
    expect(project.read('src/math.js')).toBe(FIXED_ADD);
    const id = project.runId();
    expect(checkpoints(project)).toEqual(['baseline good', `attempt 1 of ${id}: verify failed (unit fail) bad`]);
    const rollbacks = events(project, id).filter((e) => e.type === 'rollback');
    expect(rollbacks).toEqual([{ type: 'rollback', target: expect.stringMatching(/^checkpoint-/), undo: expect.stringMatching(/^pre-rollback\/\d+$/) }]);
    const prompt = project.agentCalls()[1]?.prompt ?? '';
    expect(prompt).toContain('- adds (test/math.test.mjs:4): returned false');
    expect(prompt).toMatch(/changes since checkpoint-\S+:\n {2}src\/math\.js \| 2 \+-/);
    expect(prompt).toMatch(/candidate kept as checkpoint-\S+ \(choiros rollback checkpoint-\S+ restores it\)/);
    expect(readFileSync(join(project.runFolder(id), 'digest-1.md'), 'utf8')).toBe(`${prompt.replace(/^Fix it:\n/, '')}\n`);
  });

  it('records a failed verification as a failed task — the failing gates, the digest\u2019s first lines and file — which the play counts, and a resume replays', async () => {
    project = loopProject({ config: loopConfig(), program: 'let r = verify unit\ngate look:\n  prompt: "Seen it?"\noutput status = r.status\n', extra: { 'src/math.js': BROKEN_ADD } });
    expect((await project.prose(['run', 'p.prose'])).exitCode).toBe(4);
    const id = project.runId();
    const [verify] = project.tasks(id);
    expect(verify).toMatchObject({ task: 'verify unit', status: 'failed', reason: 'verification failed: unit fail', outputsUri: join(project.runFolder(id), 'digest-1.md') });
    expect(verify?.logExcerpt).toMatch(/^verify failed: unit fail\nunit: fail — 1 of 2 tests failed/);
    expect(readFileSync(verify?.outputsUri ?? '', 'utf8')).toContain('- adds (test/math.test.mjs:4): returned false');
    const failed = JSON.parse((await project.choiros(['runs', '--status', 'failed', '--json'])).stdout) as { items: Array<{ id: number }> };
    expect(failed.items.map((t) => t.id)).toEqual([verify?.id]);
    const metrics = JSON.parse((await project.choiros(['play', 'metrics', '--run', id, '--json'])).stdout) as { steps: Array<{ step: string; failed: number }>; stages: Array<{ successRate: number }>; deviations: Record<string, number> };
    expect(metrics.steps.find((s) => s.step === 'verify unit')).toMatchObject({ failed: 1 });
    expect(metrics.stages[0]?.successRate).toBe(0);
    expect(metrics.deviations).toEqual({});

    expect((await project.choiros(['approve', id])).exitCode).toBe(0);
    const resumed = await project.prose(['resume', id]);
    expect([resumed.exitCode, resumed.stdout]).toEqual([0, expect.stringContaining('status = fail')]);
    expect(project.tasks(id).filter((t) => t.task === 'verify unit')).toHaveLength(1);
  });

  it('reports a flaky gate as flaky, in the verdict and in the morning report', async () => {
    project = loopProject({ config: loopConfig().replace('run: "node checks/tap.mjs"', `run: ["node", ${JSON.stringify(FAIL_ONCE)}, "../flaky-state"]`), program: 'let r = verify unit\noutput status = r.status\noutput passed = r.passed\n' });
    const run = await project.prose(['run', 'p.prose']);
    expect(run.stdout).toContain('status = flaky\npassed = false');
    const report = readFileSync(join(project.runFolder(project.runId()), 'report.md'), 'utf8');
    expect(report).toContain('- unit (attempt 1): failed, then passed on a re-run of the same tree');
    expect(report).toContain('| 1 | flaky |');
  });

  it('refuses, in autonomous mode, a candidate that edited a test to pass: a deviation, rolled back like a failure', async () => {
    const cheat = ORIGINAL_TEST.replace('add(1, 2) === 3', 'add(1, 2) === -1');
    project = loopProject({ config: loopConfig(), program: FIX_LOOP, script: [{ write: { 'src/math.js': BROKEN_ADD, 'test/math.test.mjs': cheat } }, { write: { 'src/math.js': FIXED_ADD } }] });
    const run = await project.prose(['run', 'p.prose', 'mode=autonomous']);
    expect([run.exitCode, run.stdout]).toEqual([0, expect.stringContaining('passed = true')]);
    expect(run.stderr).toContain('warning: the candidate changed what the gates check: test file changed: test/math.test.mjs');
    expect([project.read('src/math.js'), project.read('test/math.test.mjs')]).toEqual([FIXED_ADD, ORIGINAL_TEST]);
    const id = project.runId();
    expect(events(project, id).filter((e) => e.type === 'deviation')).toEqual([{ type: 'deviation', kind: 'ChecksChanged', stage: 'main', detail: 'test file changed: test/math.test.mjs' }]);
    expect(project.agentCalls()[1]?.prompt).toContain('verify failed: checks error');
    const report = readFileSync(join(project.runFolder(id), 'report.md'), 'utf8');
    expect(report).toContain('- an agent changed what the gates check: test file changed: test/math.test.mjs');
    expect(report).toMatch(/\| 1 \| refused \(checks changed\) \| 1 \|/);
  });

  it('waits in assisted mode for a human to accept a change to the checks, then judges by the accepted tests (across processes)', async () => {
    const stricter = ORIGINAL_TEST.replace('adds: () => add(1, 2) === 3,', 'adds: () => add(1, 2) === 3,\n  commutes: () => add(2, 5) === add(5, 2),');
    project = loopProject({ config: loopConfig(), program: FIX_LOOP, script: [{ write: { 'src/math.js': FIXED_ADD, 'test/math.test.mjs': stricter } }] });
    const first = await project.prose(['run', 'p.prose']);
    expect(first.exitCode).toBe(4);
    const id = project.runId();
    const db = project.ledger();
    const waiting = db.awaitingApproval(id);
    db.close();
    expect(waiting.map((t) => t.task)).toEqual(['gate checks']);
    const approved = await project.choiros(['approve', String(waiting[0]?.id), '--by', 'ann']);
    expect(approved.stdout).toContain(`Approved task ${waiting[0]?.id} (gate checks of ${id}).`);
    const resumed = await project.prose(['resume', id]);
    expect([resumed.exitCode, resumed.stdout]).toEqual([0, expect.stringContaining('passed = true')]);
    const after = project.ledger();
    const tasks = after.tasksOfRun(id);
    after.close();
    expect(tasks.find((t) => t.task === 'gate checks')).toMatchObject({ id: waiting[0]?.id, status: 'succeeded', approvalState: 'approved', approver: 'ann' });
    const verdict = tasks.find((t) => t.task === 'verify unit')?.outputs as { value: { primary: boolean; fields: { checks: { status: string }; gates: Array<{ tests: { total: number } }> } } };
    expect([verdict.value.primary, verdict.value.fields.checks.status, verdict.value.fields.gates[0]?.tests.total]).toEqual([true, 'accepted', 3]);
  });

  it('checkpoints an autonomous run every checkpoint_interval while its agents work, even when the program only runs sessions', async () => {
    project = loopProject({ config: loopConfig(), program: 'session "Write the notes"\noutput done = true\n', script: [{ write: { 'notes.md': 'half of the notes' }, sleep_ms: 3500 }] });
    const run = await project.prose(['run', 'p.prose', 'mode=autonomous', 'checkpoint_interval=1s']);
    expect([run.exitCode, run.stdout]).toEqual([0, expect.stringContaining('done = true')]);
    const automatic = checkpoints(project);
    expect(automatic.length).toBeGreaterThanOrEqual(1);
    expect(new Set(automatic)).toEqual(new Set(['automatic checkpoint (every 1s) unverified']));
    const newest = project.git('for-each-ref', '--sort=-creatordate', '--count=1', '--format=%(refname)', 'refs/tags/checkpoint-*').trim();
    expect(project.git('show', `${newest}:notes.md`)).toBe('half of the notes');
    expect(events(project, project.runId()).filter((e) => e.type === 'checkpoint')).toHaveLength(automatic.length);
  });

  it('stops at max_iterations with exit 3, keeps the best attempt as a ref and writes a morning report', async () => {
    project = loopProject({ config: loopConfig('run: { max_iterations: 2 }\n'), program: FIX_LOOP, script: [{ write: { 'src/math.js': BROKEN_ADD } }, { write: { 'src/math.js': 'export const add = () => Number.NaN;\n' } }] });
    const run = await project.prose(['run', 'p.prose', 'mode=autonomous']);
    const id = project.runId();
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toContain('■ run stopped at a limit');
    expect(run.stderr).toContain(`best attempt kept as refs/choiros/best/${id}`);
    expect(project.agentCalls()).toHaveLength(2);
    expect(project.read('src/math.js')).toBe('export const add = (a, b) => a + b;\n');
    const kept = project.git('rev-parse', `refs/choiros/best/${id}`).trim();
    expect(project.git('show', `${kept}:src/math.js`)).toBe(BROKEN_ADD);
    const report = readFileSync(join(project.runFolder(id), 'report.md'), 'utf8');
    expect(report).toContain(`# ${id}: stopped at a limit`);
    expect(report).toContain('Why: max_iterations=2 reached: verification failed 2 times in a row');
    // Attempt 1 fails one test of two, attempt 2 both: the first came closer.
    expect(report).toContain(`Best attempt: #1, kept as \`refs/choiros/best/${id}\``);
    expect(report.match(/undo with `choiros rollback pre-rollback\/\d+`/g)).toHaveLength(2);
    expect(existsSync(join(project.runFolder(id), 'report.json'))).toBe(true);

    // A cap raised on resume is kept with the run: a later plain resume does not stop at the old one.
    const raised = await project.prose(['resume', id, 'max_iterations=3']);
    expect(raised.exitCode).toBe(3);
    const db = project.ledger();
    expect([db.run(id).args.max_iterations, db.run(id).reason]).toEqual([3, 'max_iterations=3 reached: verification failed 3 times in a row']);
    db.close();
  });
});
