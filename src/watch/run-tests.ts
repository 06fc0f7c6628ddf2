import { execa } from 'execa';
import type { TestRunResult } from './test-watcher.js';

const MAX_OUTPUT = 4 * 1024 * 1024;

/**
 * Runs the test command through /bin/sh in its own process group, streaming its output to
 * `echo` while keeping it for the summary. Aborting ends the whole group (test runners fork
 * workers), SIGKILL after a grace period.
 */
export async function runTestCommand(command: string, cwd: string, signal: AbortSignal, echo: (chunk: string) => void, color: boolean): Promise<TestRunResult> {
  const started = performance.now();
  const child = execa('/bin/sh', ['-c', command], { cwd, detached: true, reject: false, all: true, stdin: 'ignore', buffer: false, env: color ? { FORCE_COLOR: '1' } : {} });
  let output = '';
  child.all?.setEncoding('utf8');
  child.all?.on('data', (chunk: string) => {
    echo(chunk);
    if (output.length < MAX_OUTPUT) output += chunk;
  });
  const killGroup = (sig: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, sig);
    } catch {
      // The group is already gone.
    }
  };
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    killGroup('SIGTERM');
    killTimer = setTimeout(() => killGroup('SIGKILL'), 2000);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  const result = await child;
  signal.removeEventListener('abort', onAbort);
  clearTimeout(killTimer);
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    output,
    durationMs: performance.now() - started,
    canceled: signal.aborted,
  };
}
