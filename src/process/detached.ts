import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export interface DetachedOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where its stdout and stderr are appended. */
  logFile: string;
}

/**
 * Starts a command that outlives the process that started it: the leader of its own session
 * (a Ctrl-C or hang-up of the parent's terminal does not reach it), stdin closed, stdout and
 * stderr appended to a log file, never waited for. Throws when it cannot be started.
 */
export function startDetached(file: string, args: readonly string[], options: DetachedOptions): { pid: number } {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = openSync(options.logFile, 'a', 0o600);
  try {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', log, log], detached: true });
    // A failure to start is also reported as an event, later: without a listener it would be thrown at the top.
    child.on('error', () => undefined);
    if (child.pid === undefined) throw new Error(`could not start ${file}`);
    child.unref();
    return { pid: child.pid };
  } finally {
    closeSync(log);
  }
}
