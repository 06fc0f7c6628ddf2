import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tmuxSocketPath } from '../../src/tmux/socket-path.js';
import { TempRepo } from './git-fixture.js';

const BIN = fileURLToPath(new URL('../../bin/choiros.js', import.meta.url));

const CONFIG = `session: cptest
windows:
  - name: api
    command: sleep 600
  - name: ui
    command: sleep 600
    restart_on_rollback: false
  - name: worker
    command: sleep 600
    restart_on_rollback: true
`;

interface WindowStatus {
  name: string;
  pid: number | null;
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('rollback and the running session', () => {
  it("restarts the windows that declare restart_on_rollback (api by default), and only those", async () => {
    const repo = TempRepo.create();
    const home = mkdtempSync(join(tmpdir(), 'choiros-home-'));
    const socket = `choiros-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const env = { ...process.env, CHOIROS_HOME: home, CHOIROS_TMUX_SOCKET: socket, NO_COLOR: '1' };
    const choiros = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: repo.root, env, encoding: 'utf8', input: '' });
    cleanups.push(() => repo.cleanup());
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    cleanups.push(() => {
      choiros('stop', '--grace', '1s');
      spawnSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
      // tmux can leave its socket file behind after kill-server.
      rmSync(tmuxSocketPath(socket, process.env), { force: true });
    });
    repo.write('choiros.yaml', CONFIG);
    repo.write('.gitignore', 'ignored/\n*.log\n.choiros/\n');

    expect(choiros('start').status).toBe(0);
    const pids = () => {
      const status = JSON.parse(choiros('status', '--json').stdout) as { windows: WindowStatus[] };
      const byName = new Map(status.windows.map((w) => [w.name, w.pid]));
      return [...byName.values()].every((pid) => pid !== null) ? byName : undefined;
    };
    const before = await waitFor('every window to run', pids);
    const { name } = JSON.parse(choiros('checkpoint', '--json').stdout) as { name: string };
    repo.write('src/app.ts', 'broken\n');

    const ran = choiros('rollback', name, '--yes', '--json');

    expect(ran.status).toBe(0);
    expect((JSON.parse(ran.stdout) as { restarted: string[] }).restarted.sort()).toEqual(['api', 'worker']);
    const after = await waitFor('restarted windows to run again', () => {
      const now = pids();
      return now !== undefined && now.get('api') !== before.get('api') && now.get('worker') !== before.get('worker') ? now : undefined;
    });
    expect(after.get('ui')).toBe(before.get('ui'));
  });

  it('skips restarting when no session is running', () => {
    const repo = TempRepo.create();
    const home = mkdtempSync(join(tmpdir(), 'choiros-home-'));
    cleanups.push(() => repo.cleanup());
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    const env = { ...process.env, CHOIROS_HOME: home, CHOIROS_TMUX_SOCKET: `choiros-test-${process.pid}-absent`, NO_COLOR: '1' };
    const choiros = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: repo.root, env, encoding: 'utf8', input: '' });
    choiros('checkpoint');
    repo.write('src/app.ts', 'broken\n');

    const ran = choiros('rollback', '--yes');

    expect(ran.status).toBe(0);
    expect(ran.stdout).not.toContain('Restarted');
  });
});
