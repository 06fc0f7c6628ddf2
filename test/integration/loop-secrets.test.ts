import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loopConfig, loopProject, type LoopProject } from './loop-fixture.js';

let project: LoopProject | undefined;
afterEach(() => project?.cleanup());

const TOKEN = 'sk-live-7f3a9c2e5b';

/** Every file of the run folder, as text. */
function runFolderText(p: LoopProject, runId: string): string {
  const dir = p.runFolder(runId);
  return readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
}

describe('secrets from the environment in a run of the loop', () => {
  it('never reach the run folder (gate logs, digests, report) nor what the run prints', async () => {
    const leaky = `  leak: { run: ["sh", "-c", "echo not ok 1 - token $MY_API_TOKEN; echo error: bad $MY_API_TOKEN >&2; exit 1"] }\n`;
    project = loopProject({ config: `${loopConfig()}${leaky}`, program: 'input who: "who"\nsession "say {who}"\nlet r = verify leak\noutput d = r.digest\n' });
    project.env.MY_API_TOKEN = TOKEN;
    const plain = await project.prose(['run', 'p.prose', `who=${TOKEN}`]);
    const id = project.runId();
    expect(plain.stdout).toContain('error: bad [redacted]');
    expect(`${plain.stdout}${plain.stderr}`).not.toContain(TOKEN);
    const folder = runFolderText(project, id);
    expect(folder).toContain('[redacted]');
    expect(folder).not.toContain(TOKEN);
    const json = await project.prose(['run', 'p.prose', `who=${TOKEN}`, '--json']);
    expect(json.stdout).toContain('"type":"run.finished"');
    expect(`${json.stdout}${json.stderr}`).not.toContain(TOKEN);
  });

  it('never reach the ledger through a human’s feedback to a gate', async () => {
    project = loopProject({ config: loopConfig(), program: 'let d = gate deploy:\n  prompt: "Ship it?"\noutput feedback = d.feedback\n' });
    project.env.MY_API_TOKEN = TOKEN;
    expect((await project.prose(['run', 'p.prose'])).exitCode).toBe(4);
    const id = project.runId();
    expect((await project.choiros(['approve', id, '--feedback', `deploy with ${TOKEN}`])).exitCode).toBe(0);
    const resumed = await project.prose(['resume', id]);
    expect(resumed.stdout).toContain('feedback = deploy with [redacted]');
    const db = project.ledger();
    const stored = JSON.stringify([db.tasksOfRun(id), db.events({ runId: id })]);
    db.close();
    expect(stored).not.toContain(TOKEN);
  });
});
