/**
 * The page's levers finish what they say against real runs: a gate approved through the API
 * continues a run that stopped to wait for it (exit 4), and resume continues a paused run — with
 * a real `prose resume` that `choiros serve` starts in the background, in the run's project.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Run } from '../../src/ledger/model.js';
import { Redactor } from '../../src/notify/redact.js';
import { backgroundResume } from '../../src/cli/prose/resume-background.js';
import { runLockFile, takeRunLock } from '../../src/cli/prose/run-lock.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { PROSE } from '../helpers/project.js';
import { waitFor } from '../helpers/wait.js';
import { endResumes } from './serve-fixture.js';
import { loopConfig, loopProject, type LoopProject } from './loop-fixture.js';

const TOKEN = 't'.repeat(43);

let project: LoopProject | undefined;
let server: RunningServer | undefined;
const started: number[] = [];

afterEach(async () => {
  await server?.close();
  server = undefined;
  // A resume this test started that is still going is ended before its project is removed.
  await endResumes(started);
  project?.cleanup();
  project = undefined;
});

async function serveProject(p: LoopProject): Promise<RunningServer> {
  const continueRun = backgroundResume({ node: process.execPath, prose: PROSE, root: p.root, env: p.env, logDir: (runId) => join(p.home, 'resumes', runId) });
  server = await startServer({
    ledgerPath: join(p.root, '.choiros', 'ledger.db'),
    runLock: runLockFile(p.root),
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    redactor: new Redactor([]),
    version: '0.0.0-test',
    continueRun: (runId) => {
      const result = continueRun(runId);
      started.push(result.pid);
      return result;
    },
  });
  return server;
}

function post(s: RunningServer, path: string, body: unknown = {}): Promise<Response> {
  return fetch(`${s.url.replace(/\/$/, '')}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

function runOf(p: LoopProject, id: string): Run {
  const db = p.ledger();
  try {
    return db.run(id);
  } finally {
    db.close();
  }
}

describe('continuing a run from the API', () => {
  it('approving the gate a run stopped for (exit 4) finishes the gate and runs the rest of the program', async () => {
    project = loopProject({ config: loopConfig(), program: 'let answer = gate deploy:\n  prompt: "Ship it?"\nexec "true"\noutput shipped = answer\n' });
    const p = project;
    expect((await p.prose(['run', 'p.prose'])).exitCode).toBe(4);
    const id = p.runId();
    const s = await serveProject(p);
    const response = await post(s, `/runs/${id}/approve`, { by: 'alice', feedback: 'ship it' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { continued: { pid: number; log: string } | null; next: string | null; note: string };
    expect(body).toMatchObject({ next: null, continued: { pid: expect.any(Number), log: expect.stringContaining(join(p.home, 'resumes', id, 'resume-')) } });
    await waitFor(() => runOf(p, id).status === 'succeeded', 30_000, `the run to finish (log: ${existsSync(body.continued?.log ?? '') ? readFileSync(body.continued?.log ?? '', 'utf8') : 'none'})`);
    const [gate, exec] = p.tasks(id);
    expect(gate).toMatchObject({ task: 'gate deploy', status: 'succeeded', approvalState: 'approved', approver: 'alice', feedback: 'ship it' });
    expect(exec).toMatchObject({ task: 'exec true', status: 'succeeded' });
    const db = p.ledger();
    const continued = db.events({ runId: id }).find((e) => e.event.type === 'run.continued');
    db.close();
    expect(continued?.event).toEqual({ type: 'run.continued', by: 'alice', why: 'approved', pid: body.continued?.pid, log: body.continued?.log });
    expect(readFileSync(body.continued?.log ?? '', 'utf8')).toContain('shipped = Yes');
  });

  it('resuming a paused run continues it from the step after the pause', async () => {
    project = loopProject({ config: loopConfig(), program: 'exec "sleep 1"\nexec "true"\noutput done = true\n' });
    const p = project;
    const child = p.spawnProse(['run', 'p.prose']);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => p.runId() !== '' && p.tasks(p.runId()).some((t) => t.task === 'exec sleep 1'), 15_000, 'the first step to start');
    const id = p.runId();
    const s = await serveProject(p);
    expect((await post(s, `/runs/${id}/pause`, { by: 'carol' })).status).toBe(202);
    expect(await exited).toBe(3);
    expect(runOf(p, id).status).toBe('paused');
    expect(p.tasks(id).map((t) => t.task)).toEqual(['exec sleep 1']);

    const resumed = await post(s, `/runs/${id}/resume`, { by: 'carol' });
    expect(resumed.status).toBe(202);
    expect(await resumed.json()).toMatchObject({ requested: 'resume', next: null, continued: { pid: expect.any(Number) } });
    await waitFor(() => runOf(p, id).status === 'succeeded', 30_000, 'the resumed run to finish');
    expect(p.tasks(id).map((t) => [t.task, t.status])).toEqual([
      ['exec sleep 1', 'succeeded'],
      ['exec true', 'succeeded'],
    ]);
  });

  it('leaves the run to a person when another run holds the project, saying why', async () => {
    project = loopProject({ config: loopConfig(), program: 'gate deploy:\n  prompt: "Ship it?"\nexec "true"\n' });
    const p = project;
    expect((await p.prose(['run', 'p.prose'])).exitCode).toBe(4);
    const id = p.runId();
    const s = await serveProject(p);
    const release = takeRunLock(p.root, 'run-other');
    try {
      const body = (await (await post(s, `/runs/${id}/approve`)).json()) as Record<string, unknown>;
      expect(body).toMatchObject({ continued: null, next: `prose resume ${id}`, note: `Could not continue the run here (another run is going in this project (run-other)): continue it with prose resume ${id}` });
    } finally {
      release();
    }
    expect(started).toEqual([]);
    expect(runOf(p, id).status).toBe('awaiting_approval');
  });
});
