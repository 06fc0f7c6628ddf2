import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runManaged } from '../../src/process/managed.js';
import { isAlive } from '../../src/process/tree.js';
import { waitFor } from '../helpers/wait.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/bin/${name}`, import.meta.url));
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'choiros-managed-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const pidOf = (file: string) => Number(readFileSync(file, 'utf8').trim());

describe('runManaged', () => {
  it('returns the exit code and output of a failing command, teeing it to the log file', async () => {
    const log = join(dir, 'runs', 'r1', 'gate.log');
    const result = await runManaged(fixture('tap-fail.sh'), [], { logFile: log });
    expect(result).toMatchObject({ exitCode: 1, failed: true, timedOut: false, killed: 0 });
    expect(result.stdout).toContain('not ok 2 - subtracts');
    expect(readFileSync(log, 'utf8')).toBe(result.stdout);
  });

  it('ends the whole tree on the hard timeout, a grandchild that ignores SIGTERM included', async () => {
    const base = join(dir, 'pids');
    const result = await runManaged(fixture('stubborn-tree.sh'), [base], { timeoutMs: 1500, killGraceMs: 300 });
    expect(result).toMatchObject({ timedOut: true, failed: true });
    expect(result.killed).toBeGreaterThanOrEqual(1);
    expect(isAlive(pidOf(`${base}.leader`))).toBe(false);
    expect(isAlive(pidOf(`${base}.grandchild`))).toBe(false);
  });

  it('ends a run that stops producing output after the idle timeout', async () => {
    const seen: string[] = [];
    const result = await runManaged(fixture('quiet-after-hello.sh'), [], { idleTimeoutMs: 500, timeoutMs: 20_000, onOutput: (c) => seen.push(c) });
    expect(result).toMatchObject({ idleTimedOut: true, timedOut: false, failed: true });
    expect(result.durationMs).toBeLessThan(5000);
    expect(seen.join('')).toBe('hello\n');
  });

  it('ends the tree when cancelled', async () => {
    const base = join(dir, 'pids');
    const controller = new AbortController();
    const running = runManaged(fixture('stubborn-tree.sh'), [base], { signal: controller.signal, killGraceMs: 200 });
    await waitFor(() => existsSync(`${base}.grandchild`) && existsSync(`${base}.leader`), 5000, 'the tree');
    controller.abort();
    const result = await running;
    expect(result.canceled).toBe(true);
    expect(isAlive(pidOf(`${base}.grandchild`))).toBe(false);
  });

  it('reports a missing binary as exit 127 without throwing', async () => {
    const result = await runManaged('choiros-no-such-binary', []);
    expect(result).toMatchObject({ exitCode: 127, failed: true });
    expect(result.spawnError).toContain('ENOENT');
  });

  it('passes input on stdin and never through a shell', async () => {
    const hostile = '$(touch pwned); `touch pwned2`; rm -rf nothing';
    const result = await runManaged('/bin/cat', [], { input: hostile, cwd: dir });
    expect(result.stdout).toBe(hostile);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    const echoed = await runManaged('/bin/echo', [hostile], { cwd: dir });
    expect(echoed.stdout).toBe(`${hostile}\n`);
    expect(existsSync(join(dir, 'pwned2'))).toBe(false);
  });

  it('ends what a finished command left running in its group', async () => {
    const base = join(dir, 'bg');
    const result = await runManaged('/bin/sh', ['-c', `sleep 600 & echo $! > ${base}; exit 0`], { killGraceMs: 200 });
    expect(result.exitCode).toBe(0);
    await waitFor(() => !isAlive(pidOf(base)), 3000, 'the background sleep to end');
  });
});
