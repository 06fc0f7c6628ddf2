import { afterEach, describe, expect, it } from 'vitest';
import { BROKEN_ADD, loopConfig, loopProject, type LoopProject } from './loop-fixture.js';

let project: LoopProject | undefined;
afterEach(() => project?.cleanup());

function tasks(p: LoopProject, runId: string) {
  const db = p.ledger();
  try {
    return db.tasksOfRun(runId);
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
    expect(tasks(project, id).find((t) => t.task === 'gate checks')).toMatchObject({ status: 'succeeded', approvalState: 'rejected' });
  });
});
