import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { spawn } from 'node:child_process';
import { quoteForDisplay, spawnFailure, type ProcessResult } from './run.js';
import { terminateTrees } from './tree.js';

export interface ManagedOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to stdin (closed afterwards); stdin is otherwise empty. */
  input?: string;
  /** Hard limit on the whole run. */
  timeoutMs?: number;
  /** Limit on time without any output on stdout or stderr. */
  idleTimeoutMs?: number;
  /** Between SIGTERM and SIGKILL when the tree is ended. */
  killGraceMs?: number;
  /** Cancels the run: the whole tree is ended and `canceled` is set. */
  signal?: AbortSignal;
  /** Every chunk of output also goes here (the run's log folder), as it arrives. */
  logFile?: string;
  /** Output as it arrives, for live views. */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** The leader's pid once it started (to sample its tree's CPU time). */
  onSpawn?: (pid: number) => void;
  /** Output beyond this many characters per stream is not kept in memory (it still reaches the log). */
  maxBuffer?: number;
}

export interface ManagedResult extends ProcessResult {
  /** Set when the run ended for want of output. */
  idleTimedOut: boolean;
  /** How many processes of the tree needed SIGKILL. */
  killed: number;
}

const DEFAULT_MAX_BUFFER = 8 * 1024 * 1024;

/**
 * Runs a long command (an agent, a gate, an `exec` step) as the leader of its own session and
 * process group. A hard timeout, an idle timeout or cancellation ends the whole tree — every
 * process in that session or descended from it, grandchildren that ignore SIGTERM included
 * (SIGKILL after a grace period). Like `run`, it never rejects.
 *
 * Built on `child_process.spawn`, not execa: a run makes one of these per step, and execa's
 * per-call machinery (stream plumbing, signal handlers, option normalisation) cost ~1.5 ms of
 * CPU a call here — more than `true` itself, and most of a short step (bench/run.mjs).
 */
export function runManaged(file: string, args: readonly string[], options: ManagedOptions = {}): Promise<ManagedResult> {
  const started = performance.now();
  const maxBuffer = options.maxBuffer ?? DEFAULT_MAX_BUFFER;
  let log: WriteStream | undefined;
  if (options.logFile !== undefined) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    log = createWriteStream(options.logFile, { flags: 'a' });
  }
  const child = spawn(file, args, {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env: options.env ?? process.env,
    detached: true,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });

  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  let idleTimedOut = false;
  let canceled = false;
  let ending: Promise<number> | undefined;
  const end = (): Promise<number> => {
    ending ??= child.pid === undefined ? Promise.resolve(0) : terminateTrees([child.pid], { graceMs: options.killGraceMs ?? 3000 }).then((r) => r.killed.length);
    return ending;
  };

  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = () => {
    if (options.idleTimeoutMs === undefined) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      idleTimedOut = true;
      void end();
    }, options.idleTimeoutMs);
  };
  const onChunk = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    if (stream === 'stdout' && stdout.length < maxBuffer) stdout += text;
    if (stream === 'stderr' && stderr.length < maxBuffer) stderr += text;
    log?.write(chunk);
    options.onOutput?.(text, stream);
    armIdle();
  };
  child.stdout?.on('data', onChunk('stdout'));
  child.stderr?.on('data', onChunk('stderr'));
  armIdle();
  if (options.input !== undefined && child.stdin !== null) {
    // A command that exits without reading its input: its exit code tells the story, not EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
  }

  const hardTimer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          void end();
        }, options.timeoutMs);
  const onAbort = () => {
    canceled = true;
    void end();
  };
  if (options.signal?.aborted === true) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  // Orphans left in the leader's group keep its output pipes open, so the run would never end:
  // once the leader exits, they are ended too.
  child.on('exit', () => {
    if (child.pid !== undefined && groupAlive(child.pid)) void end();
  });

  // 'close' comes once the process has exited and its output pipes are drained; a process that
  // could not start at all reports 'error' instead (and may never close).
  const exited = new Promise<{ exitCode: number | undefined; signal: NodeJS.Signals | undefined; spawnError?: string }>((resolve) => {
    child.on('error', (error: NodeJS.ErrnoException) => resolve({ ...spawnFailure(file, error), signal: undefined }));
    child.on('close', (code, signal) => resolve({ exitCode: code ?? undefined, signal: signal ?? undefined }));
  });

  return exited.then(async ({ exitCode, signal, spawnError }) => {
    clearTimeout(hardTimer);
    clearTimeout(idleTimer);
    options.signal?.removeEventListener('abort', onAbort);
    const killed = ending === undefined ? 0 : await ending;
    await new Promise<void>((resolve) => (log === undefined ? resolve() : log.end(resolve)));
    return {
      command: [file, ...args].map(quoteForDisplay).join(' '),
      exitCode,
      signal,
      stdout,
      stderr,
      durationMs: performance.now() - started,
      timedOut,
      idleTimedOut,
      canceled,
      spawnError,
      failed: spawnError !== undefined || exitCode !== 0 || timedOut || idleTimedOut || canceled,
      killed,
    };
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
