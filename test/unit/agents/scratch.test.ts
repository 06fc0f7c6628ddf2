import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sweepAbandonedScratch } from '../../../src/agents/command-agent.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('agent scratch folders', () => {
  it('removes those of runners that are gone, and keeps those of live ones and anything else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'choiros-sweep-'));
    dirs.push(dir);
    // A pid that was alive a moment ago and is gone now.
    const gone = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim();
    const live = String(process.ppid);
    for (const name of [`choiros-agent-${gone}-abc`, `choiros-agent-${live}-def`, `choiros-agent-${process.pid}-ghi`, 'choiros-agent-xyz', 'unrelated']) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'prompt.md'), 'a prompt\n');
    }

    sweepAbandonedScratch(dir);

    expect(existsSync(join(dir, `choiros-agent-${gone}-abc`))).toBe(false);
    for (const kept of [`choiros-agent-${live}-def`, `choiros-agent-${process.pid}-ghi`, 'choiros-agent-xyz', 'unrelated']) expect(existsSync(join(dir, kept))).toBe(true);
  });
});
