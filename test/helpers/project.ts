import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type ProcessResult } from '../../src/process/run.js';
import { isAlive, listProcesses } from '../../src/process/tree.js';
import { TmuxClient } from '../../src/tmux/client.js';

export const CHOIROS = fileURLToPath(new URL('../../bin/choiros.js', import.meta.url));
export const PROSE = fileURLToPath(new URL('../../bin/prose.js', import.meta.url));

export interface TestProject {
  root: string;
  home: string;
  socket: string;
  env: NodeJS.ProcessEnv;
  choiros(args: string[], options?: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string }): Promise<ProcessResult>;
  tmux(args: string[]): Promise<ProcessResult>;
  write(path: string, text: string): void;
  /** Kills this test's tmux server and any process left in its panes' sessions. */
  cleanup(): Promise<void>;
}

/**
 * A temp project with its own CHOIROS_HOME and its own tmux server (one private socket per
 * test, never the user's default server).
 */
export function makeProject(files: Record<string, string> = {}): TestProject {
  const base = mkdtempSync(join(tmpdir(), 'choiros-it-'));
  const root = join(base, 'proj');
  const home = join(base, 'home');
  mkdirSync(root, { recursive: true });
  const socket = `choiros-test-${randomBytes(4).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: base,
    SHELL: '/bin/sh',
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    CHOIROS_HOME: home,
    CHOIROS_TMUX_SOCKET: socket,
  };
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  for (const [path, text] of Object.entries(files)) write(path, text);
  const tmux = (args: string[]) => run('tmux', ['-L', socket, ...args], { env });
  return {
    root,
    home,
    socket,
    env,
    write,
    tmux,
    choiros: (args, options = {}) => run(process.execPath, [CHOIROS, ...args], { cwd: options.cwd ?? root, env: { ...env, ...options.env }, timeoutMs: options.timeoutMs ?? 30_000 }),
    cleanup: async () => {
      const panes = await tmux(['list-panes', '-a', '-F', '#{pane_pid}']);
      const pids = panes.stdout.split('\n').filter(Boolean).map(Number);
      await tmux(['kill-server']);
      // tmux leaves the socket file behind: remove it with the server.
      rmSync(new TmuxClient(socket, env).socketPath(), { force: true });
      const leftovers = listProcesses().filter((p) => pids.includes(p.sid) || pids.includes(p.pid));
      for (const p of leftovers) {
        try {
          if (isAlive(p.pid)) process.kill(p.pid, 'SIGKILL');
        } catch {
          // It ended between the look and the kill.
        }
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
}

export function parseJson<T>(result: ProcessResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${String(result.exitCode)}):\n${result.stdout}\n${result.stderr}`);
  }
}
