import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const CONTEND = fileURLToPath(new URL('../fixtures/lock/contend.mjs', import.meta.url));

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** Starts `processes` contenders at once, each taking the lock `rounds` times; resolves with the log. */
async function contend(lock: string, log: string, processes: number, rounds: number): Promise<string[]> {
  const startAt = Date.now() + 500;
  const children = Array.from({ length: processes }, () => spawn(process.execPath, [CONTEND, lock, log, String(startAt), String(rounds)], { stdio: 'ignore' }));
  const codes = await Promise.all(children.map((child) => new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))));
  expect(codes.every((c) => c === 0)).toBe(true);
  return readFileSync(log, 'utf8').trim().split('\n');
}

describe('the lock file under contention', () => {
  it('is held by one process at a time when several take it as fast as they can', async () => {
    dir = mkdtempSync(join(tmpdir(), 'choiros-lock-'));
    for (let round = 0; round < 3; round++) {
      const log = join(dir, `log-${round}`);
      const lines = await contend(join(dir, 'run.lock'), log, 6, 300);
      expect(lines).toHaveLength(6 * 300 * 2);
      // Every "+pid" is followed by its own "-pid": no two holders at once.
      const overlaps = lines.filter((line, i) => i % 2 === 0 && lines[i + 1] !== `-${line.slice(1)}`);
      expect(overlaps).toEqual([]);
    }
    expect(readdirSync(dir).filter((f) => f.startsWith('run.lock'))).toEqual([]);
  });
});
