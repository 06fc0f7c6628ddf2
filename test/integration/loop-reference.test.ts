import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BROKEN_ADD, loopConfig, loopProject, type LoopProject } from './loop-fixture.js';

let project: LoopProject | undefined;
afterEach(() => project?.cleanup());

const AGENTIC_BUILD = readFileSync(new URL('../../prose/agentic-build.prose', import.meta.url), 'utf8');
const ORIGINAL_TEST = readFileSync(new URL('../fixtures/loop/project/test/math.test.mjs', import.meta.url), 'utf8');

function deviations(p: LoopProject, runId: string): string[] {
  const db = p.ledger();
  try {
    return db.events({ runId }).flatMap(({ event }) => (event.type === 'deviation' ? [`${event.kind}: ${event.detail}`] : []));
  } finally {
    db.close();
  }
}

/** `subject verdict` of every checkpoint tag, oldest first. */
function checkpoints(p: LoopProject): string[] {
  return p
    .git('for-each-ref', '--sort=creatordate', '--format=%(contents:subject) %(contents:trailers:key=Choiros-Verdict,valueonly)', 'refs/tags/checkpoint-*')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

describe('the tree a candidate is judged against', () => {
  it('is the last good checkpoint, not the start of a run that began on an earlier run\u2019s tampered tree', async () => {
    const weakened = loopConfig().replace('run: "node checks/tap.mjs", tap: true', 'run: "true"');
    project = loopProject({ config: loopConfig(), program: 'session "Make add faster"\nlet r = verify unit\noutput status = r.status\n', script: [{ write: { 'src/math.js': BROKEN_ADD, 'choiros.yaml': weakened } }, {}] });
    expect((await project.choiros(['checkpoint', '-m', 'known good', '--verdict', 'good'])).exitCode).toBe(0);
    const first = await project.prose(['run', 'p.prose']);
    expect(first.exitCode).toBe(4);
    // Nobody answered: the weakened gate and the broken code are still in the tree.
    expect([project.read('choiros.yaml'), project.read('src/math.js')]).toEqual([weakened, BROKEN_ADD]);

    const second = await project.prose(['run', 'p.prose', 'mode=autonomous']);
    const id = project.runId();
    expect(second.stdout).toContain('status = error');
    expect(second.stderr).toContain("the candidate changed what the gates check: gate 'unit' changed: run, tap");
    expect(deviations(project, id)).toEqual(["ChecksChanged: gate 'unit' changed: run, tap"]);
  });

  it('is the last good checkpoint of an earlier phase: a test weakened during implementation is asked about in verification', async () => {
    const cheat = ORIGINAL_TEST.replace('add(1, 2) === 3', 'true');
    project = loopProject({ config: loopConfig(), program: AGENTIC_BUILD, script: [{}, { write: { 'src/math.js': BROKEN_ADD, 'test/math.test.mjs': cheat } }, {}] });
    expect((await project.prose(['run', 'p.prose', 'phase=setup', 'mode=autonomous'])).exitCode).toBe(0);
    expect((await project.prose(['run', 'p.prose', 'phase=implementation', 'mode=autonomous', 'components=["math"]'])).exitCode).toBe(0);
    expect(project.read('test/math.test.mjs')).toBe(cheat);

    const verification = await project.prose(['run', 'p.prose', 'phase=verification', 'mode=autonomous']);
    const id = project.runId();
    expect(verification.exitCode).toBe(3);
    expect(verification.stderr).toContain('the candidate changed what the gates check: test file changed: test/math.test.mjs');
    expect(deviations(project, id)).toContain('ChecksChanged: test file changed: test/math.test.mjs');
    // Never marked good: the setup phase's two checkpoints are the only good ones.
    expect(checkpoints(project).filter((c) => c.endsWith(' good'))).toEqual(['baseline: the tree before the agents good', 'plan: docs/PLAN.md good']);
  });
});
