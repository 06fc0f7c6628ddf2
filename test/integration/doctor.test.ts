import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runLockFile } from '../../src/cli/prose/run-lock.js';
import { acquireLock } from '../../src/process/lock.js';
import { loopProject, type LoopProject } from './loop-fixture.js';

let project: LoopProject | undefined;
afterEach(() => project?.cleanup());

interface Report {
  ok: boolean;
  checks: Array<{ id: string; status: string; detail: string; hint?: string }>;
}

async function doctor(p: LoopProject, args: string[] = []): Promise<{ code: number | undefined; report: Report }> {
  const result = await p.choiros(['doctor', '--json', ...args]);
  return { code: result.exitCode, report: JSON.parse(result.stdout) as Report };
}

const statusOf = (report: Report) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));

describe('choiros doctor', () => {
  it('fails a project that is not safe to leave overnight, and says why', async () => {
    project = loopProject({ config: 'agents:\n  default: { command: ["no-such-agent-cli", "{prompt}"] }\nrun: { rollback_on_failure: false }\n', program: 'session "x"\n' });
    writeFileSync(join(project.root, '.git', 'MERGE_HEAD'), `${project.git('rev-parse', 'HEAD').trim()}\n`);
    const { code, report } = await doctor(project);
    expect([code, report.ok]).toEqual([1, false]);
    expect(statusOf(report)).toMatchObject({ git: 'ok', repository: 'ok', 'git-operation': 'fail', checkpoint: 'fail', logs: 'ok', agents: 'fail', gates: 'warn', 'max-iterations': 'warn', rollback: 'fail', webhook: 'warn', lock: 'ok' });
    expect(report.checks.find((c) => c.id === 'agents')?.detail).toBe('agent program not found: no-such-agent-cli (default)');
    const plain = await project.choiros(['doctor']);
    expect(plain.stdout).toMatch(/✗ git state +a merge is in progress\n +Finish or abort the merge first/);
    expect(plain.stdout).toMatch(/\d problems, \d warnings: not ready for an unattended run\.\n$/);
  });

  it('passes a ready project, fails it while another run holds the lock, and --strict turns warnings into a failure', async () => {
    const config = 'agents:\n  default: { preset: scripted }\nverify:\n  unit: { run: "node checks/tap.mjs", tap: true }\nrun: { max_iterations: 5 }\nnotify:\n  - { kind: webhook, url: "http://127.0.0.1:9/hook" }\n';
    project = loopProject({ config, program: 'session "x"\n' });
    expect((await project.choiros(['checkpoint', '-m', 'before the night', '--verdict', 'good'])).exitCode).toBe(0);
    const ready = await doctor(project);
    expect(ready.report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(ready.code).toBe(0);
    expect(statusOf(ready.report)).toMatchObject({ checkpoint: 'ok', agents: 'ok', gates: 'ok', 'max-iterations': 'ok', rollback: 'ok', webhook: 'ok' });
    const held = acquireLock(runLockFile(project.root), 'running run-elsewhere', { run: 'run-elsewhere' });
    try {
      const locked = await doctor(project);
      expect(locked.code).toBe(1);
      expect(locked.report.checks.find((c) => c.id === 'lock')).toMatchObject({ status: 'fail', detail: expect.stringContaining('run-elsewhere holds the project') });
      const refused = await project.prose(['run', 'p.prose']);
      expect([refused.exitCode, refused.stderr]).toEqual([1, expect.stringContaining('Another run is going in this project: run-elsewhere')]);
    } finally {
      if (held.ok) held.release();
    }
    writeFileSync(join(project.root, 'choiros.yaml'), `${config}  - { kind: slack, url: "\${NOPE_URL}", secret: "\${HOOK_SECRET}" }\n`);
    const unset = await project.choiros(['doctor']);
    expect(unset.exitCode).toBe(1);
    expect(unset.stdout).toMatch(/✗ webhook +slack\[1\] uses \$\{NOPE_URL\}, \$\{HOOK_SECRET\}, not set: it cannot send/);
    writeFileSync(join(project.root, 'choiros.yaml'), config.replace(/notify:[\s\S]*$/, ''));
    const quiet = await doctor(project);
    expect([quiet.code, statusOf(quiet.report).webhook]).toEqual([0, 'warn']);
    expect((await doctor(project, ['--strict'])).code).toBe(1);
  });
});
