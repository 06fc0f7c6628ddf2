import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/process/run.js';
import { isAlive } from '../../src/process/tree.js';
import { CHOIROS, makeProject, PROSE, type TestProject } from '../helpers/project.js';
import { waitFor } from '../helpers/wait.js';
import { loopConfig, loopProject } from './loop-fixture.js';

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

describe('choiros serve', () => {
  it('generates a 0600 token, prints where it is (never the token) and a sign-in link, serves until Ctrl-C, then exits 130', async () => {
    project = makeProject({ 'choiros.yaml': 'session: app\n' });
    const child = spawn(process.execPath, [CHOIROS, 'serve', '--port', '0'], { cwd: project.root, env: project.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      // The address comes first; wait for the whole greeting (it may arrive in several chunks).
      const url = await waitFor(() => (stdout.includes('API token:') ? /choiros serve: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1] : undefined), 15_000, `the server to listen (stderr: ${stderr})`);
      const tokenPath = join(project.home, 'serve', 'token');
      expect(statSync(tokenPath).mode & 0o777).toBe(0o600);
      expect(statSync(join(project.home, 'serve')).mode & 0o777).toBe(0o700);
      const token = readFileSync(tokenPath, 'utf8').trim();
      expect(stdout).toContain(`API token: ${tokenPath} (generated now)`);
      expect(stdout).toMatch(new RegExp(`Sign in a browser \\(one-time link, 15 minutes\\): ${url}login\\?code=[A-Za-z0-9_-]{24}`));
      expect(stdout + stderr).not.toContain(token);

      const created = await fetch(`${url}agents/tasks/`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ task: 'nightly.lint', run_id: 'ci-1' }) });
      expect(created.status).toBe(201);
      expect((await fetch(`${url}health`)).status).toBe(200);
      // The built package finds the page's files in share/web.
      const page = await fetch(url);
      expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(130);
    // The task went into the project's ledger, where every other choiros view reads it.
    const runs = await project.choiros(['runs', '--json']);
    expect(JSON.parse(runs.stdout).items.map((t: { task: string }) => t.task)).toEqual(['nightly.lint']);
    // So did its run: the play views show it as they show choiros' own runs (a stage per task).
    const status = await project.choiros(['play', 'status', '--run', 'ci-1', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ run_id: 'ci-1', program: 'external', status: 'running', current_stage: 'nightly.lint', stages: [{ name: 'nightly.lint', status: 'active' }] });
    const plain = await project.choiros(['play', 'status', '--run', 'ci-1']);
    expect(plain.stdout).toMatch(/▶ nightly\.lint +active/);
    expect(plain.stdout).not.toContain('not in play');
    const dashboard = await project.choiros(['dashboard', '--run', 'ci-1', '--plain']);
    expect([dashboard.exitCode, dashboard.stdout]).toEqual([0, expect.stringContaining('nightly.lint')]);
    const pause = await project.choiros(['pause', 'ci-1']);
    expect([pause.exitCode, pause.stderr]).toEqual([1, expect.stringContaining('Run ci-1 is not a choiros-driven run')]);
    const resume = await run(process.execPath, [PROSE, 'resume', 'ci-1'], { cwd: project.root, env: project.env, timeoutMs: 30_000 });
    expect([resume.exitCode, resume.stderr]).toEqual([1, expect.stringContaining('there is no program to resume')]);
  });

  it('continues a run that stopped at its gate once the gate is approved through it, in the run\u2019s project', async () => {
    const p = loopProject({ config: loopConfig(), program: 'gate deploy:\n  prompt: "Ship it?"\nexec "true"\n' });
    try {
      expect((await p.prose(['run', 'p.prose'])).exitCode).toBe(4);
      const id = p.runId();
      // Started from elsewhere: the resume must run in the project all the same.
      const child = spawn(process.execPath, [CHOIROS, '--config', join(p.root, 'choiros.yaml'), 'serve', '--port', '0'], { cwd: tmpdir(), env: p.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        const url = await waitFor(() => (stdout.includes('API token:') ? /choiros serve: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1] : undefined), 15_000, 'the server to listen');
        const token = readFileSync(join(p.home, 'serve', 'token'), 'utf8').trim();
        const approved = await fetch(`${url}runs/${id}/approve`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ by: 'dana' }) });
        const body = (await approved.json()) as { continued: { pid: number; log: string } | null };
        expect(body.continued?.log).toMatch(new RegExp(`^${join(p.home, 'logs', 'proj', 'runs', id)}/resume-\\d{8}-\\d{6}\\.log$`));
        await waitFor(() => p.tasks(id).every((t) => t.status === 'succeeded') && p.tasks(id).length === 2, 30_000, 'the gate and the rest of the run to finish');
        // The resume is ours to wait for before its project goes.
        await waitFor(() => !isAlive(body.continued?.pid ?? 0), 15_000, 'the background resume to exit');
      } finally {
        child.kill('SIGINT');
      }
      expect(await exited).toBe(130);
    } finally {
      p.cleanup();
    }
  });

  it('refuses a token file others can read, and a port out of range', async () => {
    project = makeProject({ 'choiros.yaml': 'session: app\n' });
    const tokenPath = join(project.home, 'serve', 'token');
    mkdirSync(join(project.home, 'serve'), { recursive: true });
    writeFileSync(tokenPath, `${'t'.repeat(43)}\n`);
    chmodSync(tokenPath, 0o644);
    const loose = await project.choiros(['serve', '--port', '0']);
    expect(loose.exitCode).toBe(1);
    expect(loose.stderr).toContain(`The token file ${tokenPath} can be read by other users (mode 644).`);
    expect(loose.stderr).toContain(`Run \`chmod 600 ${tokenPath}\`, or delete it to have a new token generated.`);
    const port = await project.choiros(['serve', '--port', '70000']);
    expect(port.exitCode).toBe(2);
    expect(port.stderr).toContain('--port: expected a port from 0 to 65535, got 70000');
  });
});
