import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/process/run.js';
import { TmuxClient } from '../../src/tmux/client.js';
import { CART_FIXED } from '../../src/demo/story.js';
import { CHOIROS } from '../helpers/project.js';

interface DemoJson {
  ok: boolean;
  problem: string | null;
  run_id: string;
  status: string;
  attempts: Array<{ attempt: number; passed: boolean; candidate: string | null }>;
  rollbacks: Array<{ target: string; undo: string }>;
  deployed: string;
  project: string;
  home: string;
  tmux_socket: string;
  ledger: string;
  run_folder: string;
  kept: boolean;
}

let base: string | undefined;
let leftover: { socket: string; env: NodeJS.ProcessEnv } | undefined;
afterEach(async () => {
  // Only if a test failed before the demo stopped its own server (--keep leaves it running).
  if (leftover !== undefined) {
    await run('tmux', ['-L', leftover.socket, 'kill-server'], { env: leftover.env });
    rmSync(new TmuxClient(leftover.socket, leftover.env).socketPath(), { force: true });
  }
  if (base !== undefined) rmSync(base, { recursive: true, force: true });
  base = undefined;
  leftover = undefined;
});

/** The user's own environment: whatever CHOIROS_* it has must not leak into the demo. */
function userEnv(): NodeJS.ProcessEnv {
  base = mkdtempSync(join(tmpdir(), 'choiros-demo-test-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CHOIROS_')));
  return { ...env, CHOIROS_HOME: join(base, 'user-home'), CHOIROS_TMUX_SOCKET: 'choiros-user-socket-never-used', NO_COLOR: '1' };
}

const demo = (args: string[], env: NodeJS.ProcessEnv) => run(process.execPath, [CHOIROS, 'demo', '--pace', '50ms', ...args], { cwd: base ?? tmpdir(), env, timeoutMs: 120_000 });

const git = async (cwd: string, ...args: string[]) => (await run('git', args, { cwd })).stdout.trim();

describe('choiros demo', () => {
  it('runs the whole story without a terminal: a failed attempt rolled back, the fix passing every gate, a deployment; then stops everything', async () => {
    const env = userEnv();
    const dir = join(base ?? '', 'demo');
    const result = await demo(['--dir', dir, '--json'], env);
    const summary = JSON.parse(result.stdout) as DemoJson;
    leftover = { socket: summary.tmux_socket, env };
    expect([result.exitCode, summary.ok, summary.problem]).toEqual([0, true, null]);

    // The story, from the run's own morning report.
    expect(summary.status).toBe('succeeded');
    expect(summary.attempts.map((a) => a.passed)).toEqual([false, true]);
    expect(summary.rollbacks).toHaveLength(1);
    expect(summary.deployed).toContain('built dist/ (src, public)');
    // Progress went to stderr as plain lines (no terminal, NO_COLOR): the steps and the run's own lines.
    expect(result.stderr).toMatch(/^1\/4 sample project/m);
    expect(result.stderr).toMatch(/✗ verify: failed: unit fail/);
    expect(result.stderr).toMatch(/✓ rollback: to checkpoint-/);
    expect(result.stderr).toMatch(/✓ verify: passed: unit pass, e2e pass, coverage pass, lint pass/);
    expect(result.stderr).not.toContain('\u001b[');

    // The project ends with the fixer's cart, its failed attempt kept as a checkpoint, and HEAD untouched.
    const root = summary.project;
    expect(root).toBe(join(dir, 'shop'));
    expect(readFileSync(join(root, 'src', 'cart.js'), 'utf8')).toBe(CART_FIXED);
    expect(await git(root, 'rev-list', '--count', 'HEAD')).toBe('1');
    const candidate = summary.attempts[0]?.candidate ?? '';
    expect(await git(root, 'show', `${candidate}:src/cart.js`)).toContain('Math.round(sum * 0.9)');
    expect(existsSync(join(dir, 'shop', 'dist', 'src', 'cart.js'))).toBe(true);
    expect(readFileSync(join(summary.run_folder, 'report.md'), 'utf8')).toContain('## Rollbacks');
    expect(existsSync(summary.ledger)).toBe(true);
    expect(existsSync(join(summary.home, 'logs', 'demo-shop', 'api.log'))).toBe(true);

    // Everything it started is stopped: no tmux server, no socket file; the user's home untouched.
    expect((await run('tmux', ['-L', summary.tmux_socket, 'list-sessions'], { env })).exitCode).not.toBe(0);
    expect(existsSync(new TmuxClient(summary.tmux_socket, env).socketPath())).toBe(false);
    expect(existsSync(join(base ?? '', 'user-home'))).toBe(false);
    expect(existsSync(new TmuxClient('choiros-user-socket-never-used', env).socketPath())).toBe(false);
    leftover = undefined;
  });

  it('leaves the session running with --keep, for choiros status and attach', async () => {
    const env = userEnv();
    const result = await demo(['--dir', join(base ?? '', 'demo'), '--keep', '--no-tui'], env);
    expect(result.exitCode).toBe(0);
    const socket = /CHOIROS_TMUX_SOCKET=(\S+)/.exec(result.stdout)?.[1] ?? '';
    leftover = { socket, env };
    expect(result.stdout).toContain('choiros attach');
    const demoEnv = { ...env, CHOIROS_HOME: join(base ?? '', 'demo', 'home'), CHOIROS_TMUX_SOCKET: socket };
    const status = await run(process.execPath, [CHOIROS, 'status', '--json'], { cwd: join(base ?? '', 'demo', 'shop'), env: demoEnv });
    const windows = (JSON.parse(status.stdout) as { windows: Array<{ name: string; state: string }> }).windows;
    expect(windows.find((w) => w.name === 'api')?.state).toBe('ready');
    const stop = await run(process.execPath, [CHOIROS, 'stop'], { cwd: join(base ?? '', 'demo', 'shop'), env: demoEnv });
    expect(stop.exitCode).toBe(0);
    leftover = undefined;
  });

  it('shows the live play dashboard on a terminal, then the summary', async () => {
    const env = userEnv();
    // A terminal for the demo: a pane of a tmux server of this test's own (the demo starts another).
    const socket = `choiros-test-demo-${process.pid}`;
    leftover = { socket, env };
    const tmux = (...args: string[]) => run('tmux', ['-L', socket, '-f', '/dev/null', ...args], { env });
    // The exit status is echoed by a shell: tmux 3.3a may not report a node pane's own.
    const command = ['/bin/sh', '-c', '"$0" "$@"; echo "demo exited $?"', process.execPath, CHOIROS, 'demo', '--pace', '50ms', '--dir', join(base ?? '', 'demo')];
    await tmux('start-server', ';', 'set-option', '-g', 'history-limit', '5000', ';', 'set-option', '-g', 'remain-on-exit', 'on', ';', 'new-session', '-d', '-x', '100', '-y', '50', '-c', base ?? '', '--', ...command);
    const exited = async () => /demo exited (\d+)/.exec((await tmux('capture-pane', '-p', '-S', '-', '-E', '-')).stdout)?.[1];
    let code: string | undefined;
    for (const deadline = Date.now() + 90_000; Date.now() < deadline && code === undefined; ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      code = await exited();
    }
    const screen = (await tmux('capture-pane', '-p', '-J', '-S', '-', '-E', '-')).stdout;
    expect(`${code}\n${screen}`).toMatch(/^0\n/);
    expect(screen).toMatch(/PLAY WORKFLOW: run-/);
    // The stage table counts the rolled-back iteration as the verification stage's retry.
    expect(screen).toMatch(/✓ Verification\s+│ Done\s+│ \S+\s+│ \w+\s+│ 1 /);
    expect(screen).toContain('✓ demo finished in');
    expect(screen).toMatch(/Rolled back to checkpoint-/);
  });

  it('refuses a --dir that is not empty, touching nothing, with exit 2', async () => {
    const env = userEnv();
    const dir = join(base ?? '', 'full');
    mkdirSync(dir);
    writeFileSync(join(dir, 'mine.txt'), 'keep me');
    const result = await demo(['--dir', dir], env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`--dir: ${dir} is not empty.`);
    expect(readFileSync(join(dir, 'mine.txt'), 'utf8')).toBe('keep me');
    expect(existsSync(join(dir, 'shop'))).toBe(false);
  });
});
