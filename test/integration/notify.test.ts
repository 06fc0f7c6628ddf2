import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DELIVERY_WAIT_MS } from '../../src/cli/prose/run-observers.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { Notifier } from '../../src/notify/notifier.js';
import { BROKEN_ADD, loopConfig, loopProject, type LoopProject } from './loop-fixture.js';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let dir: string;
let server: Server;
let received: Received[];
let statuses: number[];
let base: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'choiros-notify-'));
  received = [];
  statuses = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Every byte of the ledger's files (the database and its write-ahead log). */
function ledgerBytes(): string {
  const folder = join(dir, '.choiros');
  return readdirSync(folder).map((f) => readFileSync(join(folder, f)).toString('latin1')).join('');
}

describe('webhooks against a local HTTP server', () => {
  it('delivers after retries, signs the body, records the delivery and keeps every secret out of the ledger', async () => {
    const hookToken = 'T0AAA/B0BBB/hook-secret-path-123';
    const env = { SLACK_WEBHOOK: `${base}/slack/${hookToken}`, GENERIC_URL: `${base}/generic`, WEBHOOK_SECRET: 'whsec-0123456789', DEPLOY_TOKEN: 'deploy-token-abcdef' };
    const ledger = Ledger.open(join(dir, '.choiros', 'ledger.db'));
    const run = ledger.createRun({ program: 'prose/build.prose', programHash: 'h' });
    const task = ledger.createTask({ task: 'session:rex', runId: run.id, stage: 'implementation', agent: 'rex', status: 'running' });
    const errors: string[] = [];
    const notifier = new Notifier({
      targets: [
        { kind: 'slack', url: '${SLACK_WEBHOOK}', on: ['failed'] },
        { kind: 'webhook', url: '${GENERIC_URL}', secret: '${WEBHOOK_SECRET}' },
      ],
      env,
      ledger,
      retry: { attempts: 4, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 2000 },
      onError: (m) => errors.push(m),
    });
    statuses = [500, 502];
    const failed = ledger.transition(task.id, 'failed', { reason: 'exit 1', logExcerpt: `curl -H "Authorization: ${env.DEPLOY_TOKEN}"\nerror: 401` });
    for (const event of ledger.events({ runId: run.id })) notifier.handle(event);
    // handle() returned without waiting: nothing has been delivered or recorded yet.
    expect(ledger.events({ runId: run.id }).some((e) => e.event.type === 'notify')).toBe(false);
    const deliveries = await notifier.idle();

    expect(deliveries.map((d) => [d.target, d.ok])).toEqual([
      ['slack[0]', true],
      ['webhook[1]', true],
    ]);
    expect(deliveries.reduce((n, d) => n + d.attempts, 0)).toBe(4);
    const slack = received.filter((r) => r.path.startsWith('/slack/'));
    expect(slack.at(-1)?.path).toBe(`/slack/${hookToken}`);
    expect(JSON.parse(slack.at(-1)?.body ?? '')).toEqual({ text: `Task session:rex (${task.id}) of run ${run.id} failed: exit 1\nNext: \`prose resume ${run.id}\`` });
    const generic = received.filter((r) => r.path === '/generic').at(-1);
    const expected = `sha256=${createHmac('sha256', env.WEBHOOK_SECRET).update(generic?.body ?? '').digest('hex')}`;
    expect(generic?.headers['x-choiros-signature-256']).toBe(expected);
    expect(JSON.parse(generic?.body ?? '')).toMatchObject({ event: 'failed', run_id: run.id, task: 'session:rex', status: 'failed', log_excerpt: 'curl -H "Authorization: [redacted]"\nerror: 401', resume_command: `prose resume ${run.id}` });

    expect(ledger.task(failed.id).webhookNotifiedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const notes = ledger.events({ runId: run.id }).filter((e) => e.event.type === 'notify').map((e) => e.event);
    expect(notes).toEqual(expect.arrayContaining([expect.objectContaining({ target: 'slack[0]', ok: true }), expect.objectContaining({ target: 'webhook[1]', ok: true })]));
    expect(errors).toEqual([]);
    ledger.close();
    const bytes = ledgerBytes();
    for (const secret of [hookToken, env.WEBHOOK_SECRET, env.SLACK_WEBHOOK]) expect(bytes).not.toContain(secret);
  });

  it('gives up after the last attempt, records the failure and reports it without the URL', async () => {
    const env = { SLACK_WEBHOOK: `${base}/slack/very-secret-path-987` };
    const ledger = Ledger.open(join(dir, '.choiros', 'ledger.db'));
    const run = ledger.createRun({ program: 'p', programHash: 'h' });
    const errors: string[] = [];
    const notifier = new Notifier({ targets: [{ kind: 'slack', url: '${SLACK_WEBHOOK}' }], env, ledger, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 2000 }, onError: (m) => errors.push(m) });
    statuses = [500, 500, 500];
    ledger.finishRun(run.id, 'failed', 'limit');
    const finished = ledger.events({ runId: run.id }).at(-1);
    if (finished !== undefined) notifier.handle(finished);
    const [delivery] = await notifier.idle();
    expect(delivery).toMatchObject({ ok: false, attempts: 3, error: 'HTTP 500' });
    expect(received).toHaveLength(3);
    expect(errors).toEqual([`notify slack[0] (failed, run ${run.id}): HTTP 500 after 3 attempt(s)`]);
    expect(ledger.events({ runId: run.id }).at(-1)?.event).toEqual({ type: 'notify', target: 'slack[0]', event: 'failed', ok: false, attempts: 3 });
    ledger.close();
    expect(ledgerBytes()).not.toContain('very-secret-path-987');
  });

  it('turns a refused connection into a redacted error after its retries', async () => {
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    server = createServer();
    const env = { HOOK: `http://127.0.0.1:${port}/closed/secret-segment-xyz` };
    const ledger = Ledger.open(join(dir, '.choiros', 'ledger.db'));
    const run = ledger.createRun({ program: 'p', programHash: 'h' });
    const errors: string[] = [];
    const notifier = new Notifier({ targets: [{ kind: 'webhook', url: '${HOOK}' }], env, ledger, retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 5, timeoutMs: 1000 }, onError: (m) => errors.push(m) });
    notifier.handle(ledger.append(run.id, { type: 'deviation', kind: 'StageStuck', stage: 'implementation', detail: 'no output for 10m' }));
    const [delivery] = await notifier.idle();
    expect(delivery).toMatchObject({ ok: false, attempts: 2, error: 'ECONNREFUSED' });
    expect(errors.join('\n')).not.toContain('secret-segment-xyz');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ledger.close();
  });
});

describe('webhooks that never answer', () => {
  let silent: Server | undefined;
  let project: LoopProject | undefined;
  afterEach(async () => {
    silent?.closeAllConnections();
    await new Promise((resolve) => (silent === undefined ? resolve(undefined) : silent.close(resolve)));
    silent = undefined;
    project?.cleanup();
    project = undefined;
  });

  it('hold prose run open no longer than the delivery bound, and are recorded as not delivered before the ledger closes', async () => {
    let requests = 0;
    // Reads every request and never answers.
    silent = createServer((req) => {
      requests += 1;
      req.resume();
    });
    await new Promise<void>((resolve) => silent?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hook`;
    project = loopProject({ config: loopConfig(`notify:\n  - { kind: webhook, url: "\${SILENT_HOOK}", on: [finished] }\n`), program: 'exec "true"\n' });
    project.env.SILENT_HOOK = url;
    const started = Date.now();
    const result = await project.prose(['run', 'p.prose']);
    const elapsed = Date.now() - started;

    expect(result.exitCode).toBe(0);
    expect(requests).toBeGreaterThanOrEqual(1);
    expect(elapsed).toBeGreaterThanOrEqual(DELIVERY_WAIT_MS - 1000);
    // The bound plus start-up and the run itself: far from the minute five attempts of 10 s take.
    expect(elapsed).toBeLessThan(DELIVERY_WAIT_MS + 10_000);
    expect(result.stderr).not.toContain('cannot record the delivery');
    expect(result.stderr).toContain('notify webhook[0] (finished');
    expect(result.stderr).toContain('not delivered before the run');
    expect(result.stderr).not.toContain(url);
    const db = project.ledger();
    try {
      const notes = db.events({ runId: project.runId() }).filter((e) => e.event.type === 'notify').map((e) => e.event);
      expect(notes).toEqual([{ type: 'notify', target: 'webhook[0]', event: 'finished', ok: false, attempts: expect.any(Number) }]);
    } finally {
      db.close();
    }
  });
});

describe('what a webhook links to', () => {
  let project: LoopProject | undefined;
  afterEach(() => {
    project?.cleanup();
    project = undefined;
  });

  const hookConfig = () => loopConfig(`notify:\n  - { kind: webhook, url: "${base}/generic" }\n  - { kind: slack, url: "${base}/slack", on: [failed] }\nserve: { url: "https://choiros.example.net/" }\n`);
  const payloads = () => received.filter((r) => r.path === '/generic').map((r) => JSON.parse(r.body) as { event: string; run: { status: string }; task: string | null; log_excerpt: string | null; links: { label: string; url: string }[] });

  it('names the task a failed run failed on, with its excerpt, the failing verification\u2019s digest, the report, the run folder and the run\u2019s page', async () => {
    const program = ['checkpoint good "baseline"', 'session "Make add faster"', 'let r = verify unit', 'session "Then crash"'].join('\n');
    project = loopProject({ config: hookConfig(), program, script: [{ write: { 'src/math.js': BROKEN_ADD } }, { reply: 'agent crashed: boom at step 2', exit: 1 }] });
    const result = await project.prose(['run', 'p.prose']);
    expect(result.exitCode).toBe(1);
    const id = project.runId();
    const folder = project.runFolder(id);
    const failed = payloads().find((p) => p.event === 'failed' && p.run.status === 'failed');
    expect(failed?.task).toMatch(/^session /);
    expect(failed?.log_excerpt).toContain('boom at step 2');
    expect(failed?.links).toEqual([
      { label: 'run page', url: `https://choiros.example.net/?run=${id}` },
      { label: 'outputs', url: expect.stringContaining(folder) },
      { label: 'failure digest', url: join(folder, 'digest-1.md') },
      { label: 'report', url: join(folder, 'report.md') },
      { label: 'run folder', url: folder },
    ]);
    for (const link of failed?.links.slice(1) ?? []) expect([link.label, existsSync(link.url)]).toEqual([link.label, true]);
    const slack = received.filter((r) => r.path === '/slack').map((r) => (JSON.parse(r.body) as { text: string }).text);
    expect(slack.at(-1)).toContain(`https://choiros.example.net/?run=${id}\n${join(folder, 'digest-1.md')}`);
  });

  it('links the report, the run folder and the run\u2019s page of a run waiting for approval and of a finished one', async () => {
    project = loopProject({ config: hookConfig(), program: 'gate deploy:\n  prompt: "Ship it?"\nexec "true"\n' });
    expect((await project.prose(['run', 'p.prose'])).exitCode).toBe(4);
    const id = project.runId();
    const folder = project.runFolder(id);
    expect((await project.choiros(['approve', id])).exitCode).toBe(0);
    expect((await project.prose(['resume', id])).exitCode).toBe(0);
    const expected = [
      { label: 'run page', url: `https://choiros.example.net/?run=${id}` },
      { label: 'report', url: join(folder, 'report.md') },
      { label: 'run folder', url: folder },
    ];
    const all = payloads();
    expect(all.find((p) => p.event === 'awaiting_approval')?.links).toEqual(expected);
    expect(all.find((p) => p.event === 'finished')?.links).toEqual(expected);
    expect(existsSync(join(folder, 'report.md'))).toBe(true);
  });
});

describe('started and health webhooks', () => {
  let project: LoopProject | undefined;
  afterEach(() => {
    project?.cleanup();
    project = undefined;
  });

  const config = () => loopConfig(`notify:\n  - { kind: webhook, url: "${base}/opted", on: [started, health] }\n  - { kind: webhook, url: "${base}/default" }\n`);
  const events = (path: string) => received.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as { event: string; run_id: string | null; run: { started_at: string } | null; health: { status: string; score: number } | null });

  it('tell a target that lists started when a new run began, and no target that does not', async () => {
    project = loopProject({ config: config(), program: 'exec "true"\n' });
    expect((await project.prose(['run', 'p.prose'])).exitCode).toBe(0);
    const id = project.runId();
    const db = project.ledger();
    const startedAt = db.run(id).startedAt;
    db.close();
    expect(events('/opted')).toEqual([expect.objectContaining({ event: 'started', run_id: id, run: expect.objectContaining({ started_at: startedAt }) })]);
    expect(events('/default').map((e) => e.event)).toEqual(['finished']);
  });

  it('send choiros health\u2019s score when it is warning or critical, to the targets that list health', async () => {
    project = loopProject({ config: config(), program: 'exec "true"\n' });
    const first = await project.choiros(['health', '--json']);
    const healthy = (JSON.parse(first.stdout) as { status: string }).status === 'healthy';
    expect(received.filter((r) => r.path === '/opted')).toHaveLength(healthy ? 0 : 1);
    received.length = 0;
    // A program that does not parse, and broken JSON data, take it below healthy (choiros.yaml stays valid: it says where to send).
    writeFileSync(join(project.root, 'p.prose'), 'phase build:\n\tsession "x"\n');
    writeFileSync(join(project.root, 'data.json'), '{');
    project.git('add', '-A');
    const second = await project.choiros(['health', '--json']);
    const report = JSON.parse(second.stdout) as { status: string; score: number };
    expect(report.status).not.toBe('healthy');
    expect(events('/default')).toEqual([]);
    expect(events('/opted')).toEqual([expect.objectContaining({ event: 'health', run_id: null, health: expect.objectContaining({ status: report.status, score: report.score }) })]);
  });
});
