import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tmuxSocketPath } from '../../src/tmux/socket-path.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  // Last in, first out: each server is killed before the folder its socket lives in goes.
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** Starts a real tmux server on a private socket with `env`, and says where tmux put it. */
function startServer(env: NodeJS.ProcessEnv): string {
  const socket = `choiros-socket-path-${process.pid}-${cleanups.length}`;
  execFileSync('tmux', ['-L', socket, 'new-session', '-d', 'sleep 30'], { env });
  cleanups.push(() => {
    try {
      execFileSync('tmux', ['-L', socket, 'kill-server'], { env, stdio: 'ignore' });
    } catch {
      // Already gone.
    }
    // tmux can leave its socket file behind after kill-server.
    rmSync(tmuxSocketPath(socket, env), { force: true });
  });
  return socket;
}

describe('tmuxSocketPath', () => {
  it('is where tmux puts the socket: TMPDIR is not looked at (macOS always sets it)', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'choiros-tmpdir-'));
    cleanups.push(() => rmSync(elsewhere, { recursive: true, force: true }));
    const env = { PATH: process.env.PATH, TMPDIR: elsewhere };
    const socket = startServer(env);
    // This process's own TMPDIR too, as on macOS: node's tmpdir() would follow it; tmux does not.
    const before = process.env.TMPDIR;
    process.env.TMPDIR = elsewhere;
    try {
      expect(tmuxSocketPath(socket, env)).toBe(join('/tmp', `tmux-${process.getuid?.() ?? 0}`, socket));
      expect(existsSync(tmuxSocketPath(socket, env))).toBe(true);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
  });

  it('follows TMUX_TMPDIR, as tmux does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'choiros-tmux-tmpdir-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const env = { PATH: process.env.PATH, TMUX_TMPDIR: dir };
    const socket = startServer(env);
    expect(tmuxSocketPath(socket, env).startsWith(`${dir}/`)).toBe(true);
    expect(existsSync(tmuxSocketPath(socket, env))).toBe(true);
  });
});
