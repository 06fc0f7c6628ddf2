import { connect } from 'node:net';
import type { ReadyProbe } from '../config/schema.js';
import { httpRequest } from '../net/http.js';
import { run } from '../process/run.js';
import { fileSize, readRange } from './log-files.js';
import { stripAnsi } from '../util/ansi.js';

/** One probe attempt may take at most this long, whatever the overall readiness timeout. */
const ATTEMPT_TIMEOUT_MS = 5000;
/** A log probe reads at most this much of the newest output. */
const LOG_WINDOW_BYTES = 1024 * 1024;

export interface ProbeTarget {
  probe: ReadyProbe;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The window's log file and where the current process's output starts in it. */
  logFile: string | undefined;
  logOffset: number;
}

async function httpReady(url: string): Promise<boolean> {
  try {
    const { status } = await httpRequest(url, { signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });
    return status >= 200 && status < 400;
  } catch {
    return false;
  }
}

function tcpReady(target: number | string): Promise<boolean> {
  const [host, port] =
    typeof target === 'number' ? ['127.0.0.1', target] : [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: ATTEMPT_TIMEOUT_MS });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

function logReady(pattern: string, file: string | undefined, offset: number): boolean {
  if (file === undefined) return false;
  const size = fileSize(file);
  // A rotation truncates the file: then everything in it is new.
  const start = Math.max(offset <= size ? offset : 0, size - LOG_WINDOW_BYTES);
  return new RegExp(pattern, 'm').test(stripAnsi(readRange(file, start, size)));
}

async function execReady(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const result = await run('/bin/sh', ['-c', command], { cwd, env, timeoutMs: ATTEMPT_TIMEOUT_MS, processGroup: true, killGraceMs: 500 });
  return !result.failed;
}

/** One readiness attempt: true when the window is ready. Never throws. */
export async function probeOnce(target: ProbeTarget): Promise<boolean> {
  const { probe } = target;
  if (probe.http !== undefined) return httpReady(probe.http);
  if (probe.tcp !== undefined) return tcpReady(probe.tcp);
  if (probe.log !== undefined) return logReady(probe.log, target.logFile, target.logOffset);
  if (probe.exec !== undefined) return execReady(probe.exec, target.cwd, target.env);
  return false;
}
