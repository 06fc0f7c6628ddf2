import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT, loopProject, type LoopProject } from './loop-fixture.js';

const PROGRAM = readFileSync(new URL('../../prose/agentic-build.prose', import.meta.url), 'utf8');
const CONFIG = 'agents:\n  default: { preset: scripted }\nverify:\n  unit: { run: "node checks/tap.mjs", tap: true }\n';

let project: LoopProject | undefined;
afterEach(() => project?.cleanup());

describe('prose/agentic-build.prose', () => {
  it('passes prose check and runs every phase autonomously against the scripted agent, for the components asked', async () => {
    project = loopProject({ config: CONFIG, program: PROGRAM });
    expect((await project.prose(['check', 'p.prose'])).exitCode).toBe(0);
    const run = await project.prose(['run', 'p.prose', 'mode=autonomous', 'components=["event-store","chat-ui"]', 'deploy=node -e console.log(42)']);
    expect(run.stderr).toBe('');
    expect([run.exitCode, run.stdout]).toEqual([0, expect.stringContaining('deployed = 42')]);
    const done = project.tasks(project.runId());
    expect(done.map((t) => `${t.stage}: ${t.task}`)).toEqual([
      'setup: checkpoint good',
      'setup: session architect',
      'setup: checkpoint good',
      'implementation: session builder',
      'implementation: session builder',
      'verification: verify',
      'verification: checkpoint good',
      "deployment: exec node -e 'console.log(42)'",
    ]);
    expect(done.filter((t) => t.task === 'session builder').map((t) => (t.inputs as { prompt: string }).prompt.trim().split(/\s+/).slice(0, 3).join(' ')).sort()).toEqual(['Implement the chat-ui', 'Implement the event-store']);
  });

  it('stops at the deploy gate in assisted mode; Modify with feedback, given from another process, reaches the agent\u2019s next prompt', async () => {
    project = loopProject({ config: CONFIG, program: PROGRAM });
    const first = await project.prose(['run', 'p.prose', 'components=["event-store"]', 'deploy=node -e console.log(42)']);
    expect(first.exitCode).toBe(4);
    const id = project.runId();
    expect(first.stderr).toMatch(new RegExp(`gate deploy \\(task (\\d+)\\) waits: choiros approve \\1 \\(Yes\\) \\| choiros reject \\1 \\(No\\) \\| choiros approve \\1 --option Modify \\[--feedback TEXT\\], then prose resume ${id}`));
    // Refused as the API refuses them (exit 2), nothing recorded: the no-option on an approve, Modify without words.
    const refusals = [
      [['--option', 'no'], '--option: No means no: answer it with reject.'],
      [['--option', 'Modify'], '--feedback: required with option Modify (say what the agent should change).'],
    ] as const;
    for (const [flags, message] of refusals) {
      const refused = await project.choiros(['approve', id, ...flags]);
      expect([refused.exitCode, refused.stderr]).toEqual([2, expect.stringContaining(message)]);
    }
    expect(project.tasks(id).find((t) => t.task === 'gate deploy')?.approvalState).not.toBe('approved');
    const answered = await project.choiros(['approve', id, '--option', 'modify', '--feedback', 'serve on port 9090', '--json']);
    expect(JSON.parse(answered.stdout)).toMatchObject({ run_id: id, name: 'gate deploy', state: 'approved', option: 'Modify', approver: 'tester', feedback: 'serve on port 9090', resume: `prose resume ${id}` });
    const resumed = await project.prose(['resume', id]);
    expect([resumed.exitCode, resumed.stdout]).toEqual([0, expect.stringContaining('deployed = 42')]);
    const all = project.tasks(id);
    const gate = all.find((t) => t.task === 'gate deploy');
    const after = all.filter((t) => t.id > (gate?.id ?? 0)).map((t) => t.task);
    expect(after).toEqual(['session builder', 'verify', 'checkpoint good', "exec node -e 'console.log(42)'"]);
    const prompt = (all.find((t) => t.id > (gate?.id ?? 0) && t.task === 'session builder')?.inputs as { prompt: string }).prompt;
    expect(prompt.replace(/\s+/g, ' ')).toContain('apply this feedback from the person who reviewed the build: serve on port 9090');
    expect(gate).toMatchObject({ status: 'succeeded', approvalState: 'approved', approver: 'tester', feedback: 'serve on port 9090' });
  });

  it('runs out of the box after choiros init: the gates it writes come from package.json', async () => {
    project = loopProject({ config: CONFIG, program: PROGRAM, extra: { 'package.json': `${JSON.stringify({ name: 'fixture', private: true, scripts: { test: 'node checks/tap.mjs' } })}\n` } });
    expect((await project.choiros(['init', '--force'])).exitCode).toBe(0);
    const written = project.read('choiros.yaml');
    expect(written).toContain('verify:');
    expect(written).toContain('  unit: { run: "npm test" }');
    writeFileSync(join(project.root, 'choiros.yaml'), written.replace(/^# agents:\n#.*$/m, `agents:\n  default: { command: ["node", ${JSON.stringify(AGENT)}, "{prompt}"] }`));
    const run = await project.prose(['run', 'p.prose', 'mode=autonomous', 'components=["math"]', 'deploy=node -e console.log(42)']);
    expect([run.exitCode, run.stdout]).toEqual([0, expect.stringContaining('deployed = 42')]);
    expect(project.tasks(project.runId()).find((t) => t.task === 'verify')).toMatchObject({ stage: 'verification', status: 'succeeded' });
  });

  it('refuses to start a program that verifies when choiros.yaml defines no gates, before any agent runs (exit 2)', async () => {
    project = loopProject({ config: CONFIG.replace(/verify:\n.*\n/, ''), program: PROGRAM });
    const run = await project.prose(['run', 'p.prose', 'mode=autonomous']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('p.prose verifies, but choiros.yaml defines no gates under `verify:`. Nothing was started.');
    expect(run.stderr).toContain('choiros init');
    expect(project.runId()).toBe('');
    // A phase that does not verify needs no gates.
    expect((await project.prose(['run', 'p.prose', 'phase=setup', 'mode=autonomous'])).exitCode).toBe(0);
  });
});
