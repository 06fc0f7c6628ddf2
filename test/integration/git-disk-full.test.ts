import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ScenarioReport } from './git-disk-full-scenario.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCENARIO = fileURLToPath(new URL('./git-disk-full-scenario.ts', import.meta.url));

/**
 * Runs a scenario on a small file system of its own, filled up: a 4 MiB tmpfs mounted in a mount
 * namespace of the scenario's own. `unshare -rm` (a user namespace too) needs no root; as root,
 * where user namespaces are off, `unshare -m` does. A real full disk (ENOSPC from the kernel, to
 * choiros and to git alike), not a simulated one — and never skipped: when neither works, the
 * test fails and says why.
 */
function onFullDisk(scenario: 'checkpoint' | 'rollback'): ScenarioReport {
  const dir = mkdtempSync(join(tmpdir(), 'choiros-full-'));
  try {
    const script = 'mount -t tmpfs -o size=4m tmpfs "$1" && exec "$2" --import tsx "$3" "$1" "$4"';
    const failures: string[] = [];
    for (const flags of ['-rm', '-m']) {
      const ran = spawnSync('unshare', [flags, 'sh', '-c', script, 'sh', dir, process.execPath, SCENARIO, scenario], { cwd: ROOT, encoding: 'utf8' });
      if (ran.status === 0) return JSON.parse(ran.stdout) as ScenarioReport;
      failures.push(`unshare ${flags}: ${ran.error?.message ?? `exit ${String(ran.status)}: ${ran.stderr.trim()}`}`);
      // The namespace and the mount worked: the scenario itself failed, and that is the failure to show.
      if (ran.stdout !== '' || /git-disk-full-scenario/.test(ran.stderr)) break;
    }
    throw new Error(`Could not run on a full disk of its own. It needs user namespaces (unshare -rm) or root (unshare -m):\n${failures.join('\n')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a checkpoint on a full disk', () => {
  it('is refused as something to fix, not a bug, and leaves no stray file in the git dir', () => {
    const report = onFullDisk('checkpoint');

    expect(report.error).toMatchObject({ abort: true, message: expect.stringMatching(/no space left on device/), hint: expect.stringMatching(/^Nothing was changed/) });
    expect(report.gitDir.after).toEqual(report.gitDir.before);
    expect(report.indexUnchanged).toBe(true);
    expect(report.tags).toBe('');
    expect(report.state.after).toEqual(report.state.before);
  });

  it('refuses a rollback the same way before anything moves, and leaves no scratch folder', () => {
    const report = onFullDisk('rollback');

    expect(report.error).toMatchObject({ abort: true, message: expect.stringMatching(/no space left on device/) });
    expect(report.state.after).toEqual(report.state.before);
    expect(report.gitDir.after).toEqual([]);
  });
});
