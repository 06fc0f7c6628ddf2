import { afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger } from '../../src/ledger/ledger.js';
import type { StageSpec } from '../../src/ledger/model.js';
import { Redactor } from '../../src/notify/redact.js';
import { isAlive } from '../../src/process/tree.js';
import { startServer, type RunningServer, type ServeOptions } from '../../src/server/server.js';
import { loadOrCreateToken, tokenFile } from '../../src/server/token.js';
import { waitFor } from '../helpers/wait.js';

export const SECRET = 'https://hooks.slack.com/services/T000/B000/very-secret-hook';

export interface Served {
  base: string;
  ledgerPath: string;
  /** Another connection to the same file: what a run in another process writes with. */
  ledger: Ledger;
  server: RunningServer;
  token: string;
  url: string;
  /** A request with the token unless `auth: false` (or another Authorization header is given). */
  call(method: string, path: string, options?: { body?: unknown; auth?: boolean; headers?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

/** A real server on 127.0.0.1 and an ephemeral port, over a real SQLite file in a temp dir (or a project's ledger). */
export async function serve(options: Partial<Pick<ServeOptions, 'host' | 'stream' | 'redactor' | 'runLock' | 'ledgerPath' | 'continueRun'>> = {}): Promise<Served> {
  const base = mkdtempSync(join(tmpdir(), 'choiros-serve-'));
  const ledgerPath = options.ledgerPath ?? join(base, 'proj', '.choiros', 'ledger.db');
  const ledger = Ledger.open(ledgerPath);
  const { token } = loadOrCreateToken(tokenFile(join(base, 'home')));
  const server = await startServer({
    ledgerPath,
    host: options.host ?? '127.0.0.1',
    ...(options.runLock === undefined ? {} : { runLock: options.runLock }),
    ...(options.continueRun === undefined ? {} : { continueRun: options.continueRun }),
    port: 0,
    token,
    redactor: options.redactor ?? new Redactor([SECRET]),
    version: '0.0.0-test',
    stream: { pollMs: 50, heartbeatMs: 60_000, throttleMs: 30, refreshMs: 60_000, ...options.stream },
  });
  const url = `http://127.0.0.1:${server.port}`;
  return {
    base,
    ledgerPath,
    ledger,
    server,
    token,
    url,
    call: (method, path, o = {}) => {
      const headers: Record<string, string> = { ...(o.auth === false ? {} : { authorization: `Bearer ${token}` }), ...o.headers };
      if (o.body !== undefined) headers['content-type'] ??= 'application/json';
      return fetch(`${url}${path}`, { method, headers, redirect: 'manual', ...(o.body === undefined ? {} : { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) }) });
    },
    close: async () => {
      await server.close();
      ledger.close();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** A raw request, for headers fetch will not set (Host). */
export function rawGet(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

export const STAGES: StageSpec[] = [
  { name: 'implementation', agents: ['rex'], timeoutMs: null, expect: [] },
  { name: 'review', agents: ['cleo'], timeoutMs: null, expect: [] },
];

/** A run in its second stage, whose gate waits for a human (with the options given, as a gate records them). */
export function runAtGate(ledger: Ledger, options?: string[]): { runId: string; gateId: number; agentTaskId: number } {
  const run = ledger.createRun({ program: 'prose/build.prose', programHash: 'h1', mode: 'assisted' });
  ledger.append(run.id, { type: 'play.spec', stages: STAGES, repository: 'acme/app', branch: 'main' });
  ledger.append(run.id, { type: 'stage.started', stage: 'implementation' });
  const agent = ledger.createTask({ task: 'session:rex', runId: run.id, stage: 'implementation', agent: 'rex', status: 'running' });
  ledger.append(run.id, { type: 'agent.output', taskId: agent.id, lines: ['writing src/login.ts'] }, agent.id);
  ledger.transition(agent.id, 'succeeded');
  ledger.append(run.id, { type: 'stage.finished', stage: 'implementation', status: 'succeeded' });
  ledger.append(run.id, { type: 'stage.started', stage: 'review' });
  const gate = ledger.createTask({ task: 'gate:ship', runId: run.id, stage: 'review', status: 'running', ...(options === undefined ? {} : { inputs: { prompt: 'Ship it?', options, fallback: null } }) });
  ledger.transition(gate.id, 'awaiting_approval', { approvalState: 'pending' });
  return { runId: run.id, gateId: gate.id, agentTaskId: agent.id };
}

/** Reads an SSE response frame by frame. */
export class SseReader {
  private buffer = '';
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();

  constructor(response: Response) {
    if (response.body === null) throw new Error('no body');
    this.reader = response.body.getReader();
  }

  /** The next frame (comments included), as its raw text. */
  async next(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const frame = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        return frame;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no SSE frame within ${timeoutMs} ms (buffered: ${this.buffer.slice(0, 200)})`);
      const chunk = await Promise.race([this.reader.read(), new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), left))]);
      if (chunk === 'timeout') continue;
      if (chunk.done) throw new Error('stream ended');
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
    }
  }

  /** The next ledger event frame (skipping retry lines, comments and play views). */
  async nextEvent(timeoutMs = 5000): Promise<{ id: number; data: { seq: number; run_id: string; type: string; text: string | null; data: Record<string, unknown> } }> {
    for (;;) {
      const frame = await this.next(timeoutMs);
      const id = /^id: (\d+)$/m.exec(frame);
      const data = /^data: (.*)$/m.exec(frame);
      if (id !== null && data !== null && !/^event: /m.test(frame)) return { id: Number(id[1]), data: JSON.parse(data[1] ?? '') };
    }
  }

  /** The next `event: play` view. */
  async nextPlay(timeoutMs = 5000): Promise<Record<string, unknown>> {
    for (;;) {
      const frame = await this.next(timeoutMs);
      const data = /^data: (.*)$/m.exec(frame);
      if (/^event: play$/m.test(frame) && data !== null) return JSON.parse(data[1] ?? '') as Record<string, unknown>;
    }
  }

  async cancel(): Promise<void> {
    await this.reader.cancel().catch(() => undefined);
  }
}

/** A test file's server factory: the server it started is closed after each test. */
export function serverFixture(): (options?: Parameters<typeof serve>[0]) => Promise<Served> {
  let served: Served | undefined;
  afterEach(async () => {
    await served?.close();
    served = undefined;
  });
  return async (options = {}) => {
    served = await serve(options);
    return served;
  };
}

/** Waits for the background `prose resume`s a test started to end (10 s each), then kills what is left: before their project is removed. */
export async function endResumes(pids: number[]): Promise<void> {
  for (const pid of pids.splice(0)) {
    if (await waitFor(() => !isAlive(pid), 10_000, `prose resume ${pid} to end`).catch(() => false)) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // It ended between the look and the kill.
    }
  }
}
