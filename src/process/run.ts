import { spawn } from 'node:child_process';

/**
 * One result shape for success and failure (after execa). `run` never rejects: a missing binary,
 * a signal or a timeout all end up as fields of the result.
 */
export interface ProcessResult {
  /** The argv joined for messages: never executed as a string. */
  command: string;
  exitCode: number | undefined;
  signal: NodeJS.Signals | undefined;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  canceled: boolean;
  /** Set when the process could not be started at all (ENOENT, EACCES). */
  spawnError: string | undefined;
  failed: boolean;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is otherwise ignored. */
  input?: string | Buffer;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Output beyond this many bytes per stream is dropped (the head is kept). */
  maxBuffer?: number;
  /** Give the child its own process group so a timeout can end its whole tree. */
  processGroup?: boolean;
  /** After SIGTERM on timeout or cancel, wait this long before SIGKILL. */
  killGraceMs?: number;
}

const DEFAULT_MAX_BUFFER = 16 * 1024 * 1024;

/**
 * A monotonic clock in milliseconds. Not `performance.now()`: the `performance` global loads
 * perf_hooks on first use (~2 ms on a slow machine), and `choiros start` runs one process.
 */
function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Runs a short-lived command (tmux, git, a probe) from an argv array and collects its output.
 * Built on `child_process.spawn` rather than execa because it sits on the start-up path of every
 * command: execa costs ~100 ms to import on a slow machine; spawn costs nothing.
 */
export function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
  const started = nowMs();
  const command = [file, ...args].map(quoteForDisplay).join(' ');
  const maxBuffer = options.maxBuffer ?? DEFAULT_MAX_BUFFER;

  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let canceled = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;

    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: options.processGroup === true,
    });

    const finish = (exitCode: number | undefined, signal: NodeJS.Signals | undefined, spawnError?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({
        command,
        exitCode,
        signal,
        stdout,
        stderr,
        durationMs: nowMs() - started,
        timedOut,
        canceled,
        spawnError,
        failed: spawnError !== undefined || exitCode !== 0 || timedOut || canceled,
      });
    };

    const kill = (sig: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        if (options.processGroup === true) process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        // Already gone: nothing to end.
      }
    };
    const terminate = () => {
      kill('SIGTERM');
      killTimer = setTimeout(() => kill('SIGKILL'), options.killGraceMs ?? 2000);
      killTimer.unref();
    };
    const onAbort = () => {
      canceled = true;
      terminate();
    };

    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            terminate();
          }, options.timeoutMs);
    if (options.signal?.aborted === true) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      if (stdout.length < maxBuffer) stdout += chunk;
    });
    child.stderr?.on('data', (chunk: string) => {
      if (stderr.length < maxBuffer) stderr += chunk;
    });
    if (options.input !== undefined && child.stdin !== null) {
      child.stdin.on('error', () => {
        // The child exited before reading its input: its exit code tells the story.
      });
      child.stdin.end(options.input);
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      const failure = spawnFailure(file, error);
      finish(failure.exitCode, undefined, failure.spawnError);
    });
    child.on('close', (code, signal) => finish(code ?? undefined, signal ?? undefined));
  });
}

/** A process that could not start: the shell's exit code for it (127 not found, 126 not runnable) and why. */
export function spawnFailure(file: string, error: NodeJS.ErrnoException): { exitCode: number; spawnError: string } {
  return { exitCode: error.code === 'ENOENT' ? 127 : 126, spawnError: `${file}: ${error.message}` };
}

/** Quotes an argument for showing a command to a human; nothing here is ever run by a shell. */
export function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** The last lines of a command's stderr (or stdout), for error messages. */
export function outputTail(result: Pick<ProcessResult, 'stderr' | 'stdout'>, lines = 10): string {
  const text = result.stderr.trim() === '' ? result.stdout : result.stderr;
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** What an exit code means to a human (137 = killed, 127 = not found). */
export function describeExit(result: Pick<ProcessResult, 'exitCode' | 'signal' | 'timedOut' | 'canceled' | 'spawnError'>): string {
  if (result.spawnError !== undefined) return result.spawnError;
  if (result.timedOut) return 'timed out';
  if (result.canceled) return 'canceled';
  if (result.signal !== undefined) return `killed by ${result.signal}`;
  switch (result.exitCode) {
    case 0:
      return 'exited 0';
    case 126:
      return 'exited 126 (not executable)';
    case 127:
      return 'exited 127 (command not found)';
    case 130:
      return 'exited 130 (interrupted)';
    case 137:
      return 'exited 137 (killed)';
    case 143:
      return 'exited 143 (terminated)';
    default:
      return `exited ${String(result.exitCode)}`;
  }
}
