import { userInfo } from 'node:os';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/ledger.js';
import { makeProject, parseJson, type TestProject } from '../helpers/project.js';
import { SeededLedger } from './play-fixture.js';

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

function seeded(): { project: TestProject; runId: string } {
  project = makeProject({ 'choiros.yaml': 'session: app\n' });
  const seed = new SeededLedger(project.root);
  const runId = seed.liveRun();
  seed.close();
  return { project, runId };
}

interface StatusJson {
  run_id: string;
  status: string;
  progress: number;
  health: string;
  current_stage: string;
  eta: { remaining_ms: number } | null;
  stages: { name: string; status: string; retries: number; expected_ms: number }[];
  deviations: { kind: string; stage: string; open: boolean }[];
  next_action: { kind: string; command?: string };
}

describe('choiros play', () => {
  it('reports the latest run: stages against the play, history-weighted progress and a missing artifact', async () => {
    const { project, runId } = seeded();
    const status = parseJson<StatusJson>(await project.choiros(['play', 'status', '--json']));
    expect(status.run_id).toBe(runId);
    expect(status.current_stage).toBe('quality');
    expect(status.stages.map((s) => [s.name, s.status, s.retries, s.expected_ms])).toEqual([
      ['implementation', 'done', 1, 20 * 60_000],
      ['quality', 'active', 0, 10 * 60_000],
      ['testing', 'pending', 0, 20 * 60_000],
    ]);
    // The run started long ago in wall-clock time, so quality is far past its median: progress
    // counts it as nearly done, and src/login.ts (expected from implementation) does not exist.
    expect(status.progress).toBeCloseTo((20 + 9.5) / 50, 2);
    expect(status.deviations).toContainEqual(expect.objectContaining({ kind: 'MissingArtifact', stage: 'implementation', open: true }));
    expect(status.deviations).toContainEqual(expect.objectContaining({ kind: 'AgentFailed', stage: 'implementation', open: false }));
    expect(status.health).toBe('off track');

    mkdirSync(join(project.root, 'src'));
    writeFileSync(join(project.root, 'src', 'login.ts'), 'export {};\n');
    const plain = await project.choiros(['play', 'status', '--run', runId]);
    expect(plain.exitCode).toBe(0);
    expect(plain.stdout).toContain(`${runId} · prose/build.prose · running`);
    expect(plain.stdout).toMatch(/✓ implementation\s+done\s+20m 00s\s+20m 00s\s+rex\s+1/);
    expect(plain.stdout).not.toContain('MissingArtifact');
  });

  it('prints the history, the diff against the play and per-run metrics', async () => {
    const { project, runId } = seeded();
    const history = await project.choiros(['play', 'history', '--run', runId]);
    expect(history.stdout).toMatch(/\+0s\s+-\s+run started: prose\/build.prose/);
    expect(history.stdout).toMatch(/\+20m 00s\s+implementation\s+stage implementation succeeded/);
    expect(history.stdout).toContain('retry 2 in 1s: exit 1');

    const diff = await project.choiros(['play', 'diff', '--run', runId]);
    expect(diff.stdout).toContain('~ implementation  done in 20m 00s');
    expect(diff.stdout).toContain('expected: rex · limit 1h 00m · expect src/login.ts');
    expect(diff.stdout).toContain('missing: src/login.ts');

    const metrics = parseJson<{ agents: { agent: string; tasks: number; failed: number; retries: number }[]; deviations: Record<string, number> }>(await project.choiros(['play', 'metrics', '--run', runId, '--json']));
    expect(metrics.agents).toContainEqual({ agent: 'rex', tasks: 2, failed: 1, retries: 1 });
    expect(metrics.deviations).toMatchObject({ AgentFailed: 1, MissingArtifact: 1 });
  });

  it('records advance and reset as admin events, refusing a stage the run does not have', async () => {
    const { project, runId } = seeded();
    const advance = await project.choiros(['play', 'advance', '--run', runId, '--stage', 'testing', '--by', 'alice']);
    expect(advance.stdout).toContain(`Recorded advance of ${runId} to stage 'testing' by alice`);
    // The run is live (its pid is this process): it finishes the stage it is in, then acts.
    expect(advance.stdout).toContain('The run acts on it when its current phase ends.');
    const status = parseJson<StatusJson>(await project.choiros(['play', 'status', '--json']));
    expect(status.stages.map((s) => s.status)).toEqual(['done', 'active', 'pending']);

    const reset = await project.choiros(['play', 'reset', '--run', runId, '--to-stage', 'quality']);
    expect(reset.exitCode).toBe(0);
    const unknown = await project.choiros(['play', 'reset', '--run', runId, '--to-stage', 'deploy']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain(`Run ${runId} has no stage 'deploy'.`);
    expect(unknown.stderr).toContain('Its stages: implementation, quality, testing.');

    const ledger = Ledger.open(join(project.root, '.choiros', 'ledger.db'), { readonly: true });
    const admin = ledger.events({ runId }).filter((e) => e.event.type === 'admin').map((e) => e.event);
    ledger.close();
    expect(admin).toEqual([
      { type: 'admin', action: 'advance', stage: 'testing', by: 'alice' },
      { type: 'admin', action: 'reset', stage: 'quality', by: userInfo().username },
    ]);
  });

  it('says so when the project has no ledger or the run does not exist', async () => {
    project = makeProject();
    const none = await project.choiros(['play', 'status']);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain('no run has been recorded here yet');
    const seed = new SeededLedger(project.root);
    seed.close();
    for (const command of [['play', 'status'], ['play', 'history'], ['dashboard', '--plain']]) {
      const missing = await project.choiros([...command, '--run', 'run-nope']);
      expect([missing.exitCode, missing.stderr]).toEqual([2, expect.stringContaining("There is no run 'run-nope' in this project.\n  No run has been recorded here.")]);
    }
  });
});

describe('choiros pause and cancel', () => {
  it('write a control request to the ledger and print what was asked', async () => {
    const { project, runId } = seeded();
    const pause = await project.choiros(['pause', runId, '--by', 'bob']);
    expect(pause.exitCode).toBe(0);
    expect(pause.stdout).toContain(`Requested pause of ${runId}: it finishes its current step, then waits; continue it with \`prose resume ${runId}\`.`);
    const ledger = Ledger.open(join(project.root, '.choiros', 'ledger.db'));
    expect(ledger.run(runId).control).toBe('pause');
    // Asked twice: refused as the API refuses it, nothing written again.
    const events = ledger.events({ runId }).length;
    const twice = await project.choiros(['pause', runId]);
    expect([twice.exitCode, twice.stderr]).toEqual([1, expect.stringContaining(`Run ${runId} is already asked to pause.`)]);
    expect(ledger.events({ runId })).toHaveLength(events);
    const cancel = parseJson<{ requested: string }>(await project.choiros(['cancel', runId, '--json']));
    expect(cancel.requested).toBe('cancel');
    expect(ledger.run(runId).control).toBe('cancel');
    // A pause after a cancel would replace it (the run would wait instead of ending): refused.
    const late = await project.choiros(['pause', runId]);
    expect([late.exitCode, late.stderr]).toEqual([1, expect.stringContaining(`Run ${runId} is already asked to cancel`)]);
    expect(ledger.run(runId).control).toBe('cancel');
    ledger.finishRun(runId, 'cancelled');
    ledger.close();
    const again = await project.choiros(['cancel', runId]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain(`Run ${runId} already ended (cancelled); there is nothing to cancel.`);
  });

  it('refuse an unknown run as a usage error that names the latest runs', async () => {
    const { project, runId } = seeded();
    for (const action of ['pause', 'cancel']) {
      const unknown = await project.choiros([action, 'run-nope']);
      expect(unknown.exitCode).toBe(2);
      expect(unknown.stderr).toContain("There is no run 'run-nope' in this project.");
      expect(unknown.stderr).toContain(`The latest: ${runId} (running)`);
    }
  });
});

describe('secrets from the environment', () => {
  it('never appear in what runs, play and dashboard print, nor in their errors', async () => {
    project = makeProject({ 'choiros.yaml': 'session: app\nnotify:\n  - { kind: slack, url: "${HOOK_URL}" }\n' });
    const token = 'tok-9f8e7d6c5b4a';
    const hook = 'https://hooks.example/services/T0/B0/zzzzsecret';
    const seed = new SeededLedger(project.root);
    const runId = seed.liveRun();
    const task = seed.ledger.createTask({ task: 'exec:deploy', runId, stage: 'quality', agent: 'cleo', status: 'running' });
    seed.ledger.transition(task.id, 'failed', { reason: `curl ${hook} said 403`, logExcerpt: `Authorization: Bearer ${token}` });
    seed.close();
    const env = { DEPLOY_TOKEN: token, HOOK_URL: hook };
    const outputs = await Promise.all([
      project.choiros(['runs', '--json'], { env }),
      project.choiros(['runs', '--csv'], { env }),
      project.choiros(['runs'], { env: { ...env, COLUMNS: '300' } }),
      project.choiros(['play', 'status', '--json'], { env }),
      project.choiros(['play', 'status'], { env: { ...env, COLUMNS: '300' } }),
      project.choiros(['play', 'history'], { env: { ...env, COLUMNS: '300' } }),
      project.choiros(['dashboard', '--plain'], { env }),
      project.choiros(['play', 'reset', '--to-stage', token], { env }),
    ]);
    for (const result of outputs) {
      expect(result.stdout + result.stderr).not.toContain(token);
      expect(result.stdout + result.stderr).not.toContain('zzzzsecret');
    }
    expect(outputs[0]?.stdout).toContain('Authorization: Bearer [redacted]');
    expect(outputs[4]?.stdout).toContain('curl [redacted] said 403');
  });
});

