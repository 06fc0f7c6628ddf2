/**
 * `choiros serve`: the task API and the live web dashboard over one ledger, on `node:http`.
 * Library code: it takes its token, redactor and clock from the caller and reports through
 * `log`; the CLI prints, the tests start it on an ephemeral port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AbortError } from '../errors.js';
import { Ledger } from '../ledger/ledger.js';
import type { Run } from '../ledger/model.js';
import { cancelDecision } from '../loop/cancel.js';
import { ORPHAN_GRACE_MS, runnerAlive, settleOrphanedRuns } from '../loop/reconcile.js';
import type { Redactor } from '../notify/redact.js';
import { lockHolder } from '../process/lock.js';
import { identify, isLoopback, loopbackHosts, requireRead, requireWrite, Sessions, type AuthPolicy } from './auth.js';
import { toHttpError, type ApiContext, type Exchange } from './context.js';
import { EventHub } from './event-hub.js';
import { HttpError, sendError } from './http.js';
import { PlayPush } from './play-push.js';
import { Router } from './router.js';
import { routes, type Handler } from './routes.js';
import { loadStatic, WEB_DIR } from './static.js';

export interface ServeOptions {
  ledgerPath: string;
  /** The project's run lock: runs whose process died are recorded interrupted, as every choiros view does. */
  runLock?: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  token: string;
  redactor: Redactor;
  version: string;
  webDir?: string;
  artifactExists?: (path: string) => boolean;
  now?: () => number;
  /** Lines for the operator (already redacted): failures that are not the client's fault. */
  log?: (line: string) => void;
  /** Continues a run a human answered or resumed here that has no process (the CLI starts `prose resume`). */
  continueRun?: (runId: string) => { pid: number; log: string | null };
  /** The project's `stop_grace`: what agents of a run cancelled from the page get between SIGTERM and SIGKILL. */
  stopGraceMs?: number;
  /** Stream timings, shortened by tests. */
  stream?: { pollMs?: number; heartbeatMs?: number; retryMs?: number; throttleMs?: number; refreshMs?: number; maxBuffered?: number; stallMs?: number; settleMs?: number };
}

export interface RunningServer {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  port: number;
  host: string;
  /** A fresh one-time sign-in link for a browser (valid 15 minutes). */
  loginUrl(): string;
  /** Open SSE streams (for tests and /health). */
  streams(): number;
  close(): Promise<void>;
}

const MAX_STREAMS = 100;

async function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new AbortError(`Port ${port} on ${host} is already in use.`, { hint: 'Pass another with --port, or --port 0 for any free one.' }) : error),
    );
    server.listen(port, host, resolve);
  });
  return server.address() as AddressInfo;
}

/** How often the server looks for runs whose process died. */
const SETTLE_MS = 5000;

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const ledger = Ledger.open(options.ledgerPath);
  const redact = <T>(value: T): T => options.redactor.redactDeep(value);
  const stream = options.stream ?? {};
  const push = new PlayPush(ledger, { now, redact, onError: (e) => log(`live view failed: ${redact(String(e))}`), ...(options.artifactExists === undefined ? {} : { artifactExists: options.artifactExists }), ...pick(stream, 'throttleMs', 'refreshMs') });
  const hub = new EventHub(ledger, { ledgerPath: options.ledgerPath, redact, onEvents: (e) => push.onEvents(e), onJoin: (c) => push.join(c), onLeave: (c) => push.leave(c), onError: (e) => log(`event stream: ${redact(String(e))}`), ...pick(stream, 'pollMs', 'heartbeatMs', 'retryMs', 'maxBuffered', 'stallMs') });
  // A run whose process died (kill -9, a reboot) cannot say so: settle it now and then, and the
  // page hears of it through the event stream like any other change.
  // Its agents left running are ended too, one settling at a time (that takes a grace period).
  let busy = false;
  let stopped = false;
  const settle = () => {
    if (options.runLock === undefined || busy) return;
    busy = true;
    try {
      void settleOrphanedRuns(ledger, options.runLock)
        .then((settled) => (settled.length > 0 && !stopped ? hub.poke() : undefined))
        .catch((error: unknown) => log(`ending leftover processes: ${redact(String(error))}`))
        .finally(() => (busy = false));
    } catch (error) {
      busy = false;
      log(`settling runs: ${redact(String(error))}`);
    }
  };
  const settling = setInterval(settle, stream.settleMs ?? SETTLE_MS);
  settling.unref();
  // A run recorded as running has its process (as far as the run lock tells); one that stopped
  // (waiting for approval, paused) has none, and needs one started to go on.
  const alive = (run: Run) => run.status === 'running' && (options.runLock === undefined || runnerAlive(run, options.runLock));
  const api: ApiContext = {
    ledger,
    redact,
    now,
    log,
    written: () => hub.poke(),
    runnerAlive: alive,
    cancelDecision: (run) => cancelDecision(run, options.runLock),
    stopGraceMs: options.stopGraceMs ?? ORPHAN_GRACE_MS,
    ...(options.artifactExists === undefined ? {} : { artifactExists: options.artifactExists }),
    ...(options.continueRun === undefined ? {} : { continueRun: guardedContinue(options.continueRun, options.runLock) }),
  };
  const loopback = isLoopback(options.host);
  const policy: AuthPolicy = { token: options.token, sessions: new Sessions(now), cookieName: 'choiros_session', openReads: loopback, allowedHosts: undefined };
  const facts = { version: options.version, startedAt: now(), streams: () => hub.size };
  const router = new Router<Handler>(routes({ api, policy, hub, files: loadStatic(options.webDir ?? WEB_DIR), facts }));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', 'http://choiros.invalid');
      const caller = identify(req, policy);
      const { route, params } = router.match(req.method ?? 'GET', url.pathname);
      if (route.access === 'read') requireRead(caller, policy);
      if (route.access === 'write') requireWrite(req, caller);
      if (url.pathname === '/events' && hub.size >= MAX_STREAMS) throw new HttpError(503, `events: ${MAX_STREAMS} streams are open already`, { 'retry-after': '5' });
      const exchange: Exchange = { req, res, url, params, caller };
      await route.handler(exchange);
    } catch (thrown) {
      const error = toHttpError(thrown);
      if (!(error instanceof HttpError)) log(`${req.method ?? ''} ${req.url ?? ''} failed: ${redact(error instanceof Error ? (error.stack ?? error.message) : String(error))}`);
      sendError(res, error);
    }
  };

  settle();
  const server = createServer((req, res) => void handle(req, res));
  // A client that dribbles its request is cut off; streams (responses) are not limited by this.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.maxConnections = MAX_STREAMS + 156;
  let address: AddressInfo;
  try {
    address = await listen(server, options.host, options.port);
  } catch (error) {
    clearInterval(settling);
    push.close();
    hub.close();
    ledger.close();
    throw error;
  }
  const hostText = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${hostText}:${address.port}`;
  // DNS rebinding: on loopback, where reads are open, answer only to names of this server.
  if (loopback) Object.assign(policy, { allowedHosts: loopbackHosts(options.host, address.port), cookieName: `choiros_session_${address.port}` });
  else Object.assign(policy, { cookieName: `choiros_session_${address.port}` });

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/`,
    port: address.port,
    host: address.address,
    loginUrl: () => `${origin}/login?code=${policy.sessions.issueCode()}`,
    streams: () => hub.size,
    close: () =>
      (closing ??= (async () => {
        stopped = true;
        clearInterval(settling);
        push.close();
        hub.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        ledger.close();
      })()),
  };
}

/**
 * One run at a time per project: while another holds the run lock, a resume started now would
 * refuse at once (in a log nobody reads), so the person is told instead.
 */
function guardedContinue(continueRun: NonNullable<ServeOptions['continueRun']>, runLock: string | undefined): NonNullable<ServeOptions['continueRun']> {
  return (runId) => {
    const holder = runLock === undefined ? undefined : lockHolder(runLock);
    // The run's own process may still be ending a moment after it recorded that it stopped.
    if (holder?.detail?.run === runId) throw new AbortError(`its process (pid ${holder.pid}) is still ending`);
    if (holder !== undefined) throw new AbortError(`another run is going in this project (${holder.detail?.run ?? `pid ${holder.pid}`})`);
    return continueRun(runId);
  };
}

function pick<T extends object, K extends keyof T>(value: T, ...keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
