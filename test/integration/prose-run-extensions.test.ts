import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/ledger.js';
import { TempRepo } from './git-fixture.js';

const bin = fileURLToPath(new URL('../../bin/prose.js', import.meta.url));
let repo: TempRepo;
beforeEach(() => (repo = TempRepo.create()));
afterEach(() => rmSync(repo.root, { recursive: true, force: true }));

function prose(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repo.root, env: { PATH: process.env.PATH, HOME: repo.root, NO_COLOR: '1', CHOIROS_HOME: join(repo.root, '.home') } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const program = [
  'exec "touch before.txt"',
  'let base = checkpoint good "baseline"',
  'exec "touch after.txt"',
  'let result = verify unit',
  'if not result.passed:',
  '  rollback to base',
  'output checkpoint = base',
  'output passed = result.passed',
  'let env = exec "printenv CHOIROS_RUN_ID"',
  'output run = env.stdout',
].join('\n');

describe('prose run with the real extensions', () => {
  it('checkpoints the work tree, runs a gate, rolls back on failure, and tells commands the run id', async () => {
    repo.write('.gitignore', '.choiros/\n.home/\n');
    repo.write('choiros.yaml', 'verify:\n  unit:\n    run: "exit 1"\nagents:\n  default: { preset: scripted }\n');
    repo.write('p.prose', program);
    const run = await prose(['run', 'p.prose']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^checkpoint = checkpoint-\d{8}-\d{6}$/m);
    expect(run.stdout).toContain('passed = false');
    const ledger = Ledger.open(join(repo.root, '.choiros/ledger.db'));
    const id = ledger.pageRuns(1).items[0]?.id ?? '';
    expect(run.stdout).toContain(`run = ${id}\n`);
    // The baseline, and the failed candidate kept as a checkpoint marked bad.
    const tags = repo.git('tag', '-l', '--format=%(refname:short) %(contents:lines=1)', 'checkpoint-*').trim().split('\n');
    expect(tags).toEqual([expect.stringMatching(/^checkpoint-\d{8}-\d{6} baseline$/), expect.stringMatching(/^checkpoint-\d{8}-\d{6}(-2)? attempt 1 of run-\S+: verify failed \(unit fail\)$/)]);
    const { existsSync } = await import('node:fs');
    expect(existsSync(repo.path('before.txt'))).toBe(true);
    expect(existsSync(repo.path('after.txt'))).toBe(false);
    const events = ledger.events({ runId: id }).map((e) => e.event);
    expect(events.filter((e) => e.type === 'checkpoint')).toEqual([{ type: 'checkpoint', name: expect.stringMatching(/^checkpoint-/), commit: expect.stringMatching(/^[0-9a-f]{40}$/), verdict: 'good' }]);
    const verdict = ledger.tasksOfRun(id).find((t) => t.task === 'verify unit')?.outputs as { value: { fields: { candidate: { name: string }; digest: string } } };
    expect(verdict.value.fields.digest).toContain(`candidate kept as ${verdict.value.fields.candidate.name}`);
    expect(events.filter((e) => e.type === 'rollback')).toEqual([{ type: 'rollback', target: expect.stringMatching(/^checkpoint-/), undo: expect.stringMatching(/^pre-rollback\//) }]);
    expect(ledger.tasksOfRun(id).map((t) => `${t.task} ${t.status}`)).toEqual(['exec touch before.txt succeeded', 'checkpoint good succeeded', 'exec touch after.txt succeeded', 'verify unit failed', expect.stringMatching(/^rollback checkpoint-\d+-\d+ succeeded$/), 'exec printenv CHOIROS_RUN_ID succeeded']);
    ledger.close();
  });

  it('sends the webhooks of choiros.yaml when the run finishes', async () => {
    const received: Array<{ event: string; body: Record<string, unknown> }> = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ event: String(req.headers['x-choiros-event']), body: JSON.parse(body) as Record<string, unknown> });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    repo.write('choiros.yaml', `agents:\n  default: { preset: scripted }\nnotify:\n  - { kind: webhook, url: "http://127.0.0.1:${port}/hook" }\n`);
    repo.write('p.prose', 'session "hello"\n');
    const run = await prose(['run', 'p.prose']);
    server.close();
    expect(run.code).toBe(0);
    expect(received.map((r) => r.event)).toContain('finished');
  });
});
