import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

/** The built CLI. */
export const BIN = fileURLToPath(new URL('../../bin/choiros.js', import.meta.url));

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A CHOIROS_HOME for a test file's runs, made before its tests and removed after them. */
export function choirosHome(): () => string {
  let home = '';
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'choiros-home-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  return () => home;
}

/**
 * Runs the built CLI in the background to its end. `detached` makes it the leader of its own
 * process group, as a terminal's foreground job is (so Ctrl-C can be sent to the whole group);
 * `whileRunning` gets the child as it starts, to act on it meanwhile.
 */
export function runCli(
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; detached?: boolean; whileRunning?: (child: ChildProcess) => void; bin?: string; executed?: boolean },
): Promise<Ran> {
  return new Promise<Ran>((resolve) => {
    const bin = options.bin ?? BIN;
    // `executed`: as a shell runs it, through its `#!` line (the launcher), not as `node bin/…`.
    const [file, argv] = options.executed === true ? [bin, [...args]] : [process.execPath, [bin, ...args]];
    const child = spawn(file, argv, { cwd: options.cwd, env: options.env, detached: options.detached === true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // A bin that cannot be started (not executable, no such file): a result, not a hang.
    child.on('error', (error) => resolve({ code: null, stdout, stderr: `${stderr}${error.message}` }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    options.whileRunning?.(child);
  });
}
