/**
 * The play tracker against real runs: `prose run` and `prose resume` on a real ledger, then what
 * `choiros play …` and `choiros metrics` read from it. Programs use `exec` and gates only, so no
 * agent is involved.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/ledger/model.js';
import { parseJson } from '../helpers/project.js';
import { waitFor } from '../helpers/wait.js';
import { loopConfig, loopProject, type LoopProject } from './loop-fixture.js';

interface StatusJson {
  status: string;
  elapsed_ms: number;
  stages: { name: string; status: string; duration_ms: number | null }[];
  deviations: { kind: string; stage: string; detail: string; open: boolean }[];
  next_action: { kind: string; command?: string };
}

let projects: LoopProject[] = [];
afterEach(() => {
  for (const p of projects) p.cleanup();
  projects = [];
});

function make(program: string[]): LoopProject {
  const p = loopProject({ config: loopConfig(), program: `${program.join('\n')}\n` });
  projects.push(p);
  return p;
}

async function status(p: LoopProject, runId: string): Promise<StatusJson> {
  return parseJson<StatusJson>(await p.choiros(['play', 'status', '--run', runId, '--json']));
}

const execs = (tasks: Task[]) => tasks.filter((t) => t.task.startsWith('exec')).map((t) => `${t.stage ?? '-'} ${t.task} ${t.status}`);

describe('phase timeout: and expect: in a real run', () => {
  it('ends with a MissingArtifact deviation for a path the phase was to leave', async () => {
    const p = make(['phase build:', '  expect: ["missing.txt", "src/math.js"]', '  exec "true"', 'phase ship:', '  exec "true"']);
    const run = await p.prose(['run', 'p.prose']);
    expect(run.exitCode).toBe(0);
    const runId = p.runId();
    const report = await status(p, runId);
    expect(report.deviations).toEqual([{ kind: 'MissingArtifact', stage: 'build', detail: 'missing.txt is missing', open: true, task_id: null }]);
    expect(report.next_action).toMatchObject({ kind: 'retry', command: `choiros play reset --run ${runId} --to-stage build` });
    // The runner recorded it when the stage ended, so history, metrics and webhooks have it too.
    const history = await p.choiros(['play', 'history', '--run', runId]);
    expect(history.stdout).toMatch(/build\s+deviation MissingArtifact: missing\.txt is missing/);
    const diff = await p.choiros(['play', 'diff', '--run', runId]);
    expect(diff.stdout).toContain('expected: no agent · no limit · expect missing.txt, src/math.js');
  });

  it('stops the run at a 1s phase timeout in the middle of a slow command, with a StageTimeout, and the stopped stage ends when the run did', async () => {
    const p = make(['phase build:', '  timeout: "1s"', '  exec "sleep 30"', 'phase ship:', '  exec "true"']);
    const started = Date.now();
    const run = await p.prose(['run', 'p.prose']);
    expect(run.exitCode).toBe(3);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(run.stdout).toContain('run stopped at a limit');
    expect(run.stdout).toContain('phase build ran past its timeout of 1s');
    const runId = p.runId();
    expect(execs(p.tasks(runId))).toEqual(['build exec sleep 30 skipped']);
    // Looked at later, the stopped run's stage has not gone on counting.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const report = await status(p, runId);
    expect(report.status).toBe('stopped');
    expect(report.deviations).toEqual([expect.objectContaining({ kind: 'StageTimeout', stage: 'build', open: true })]);
    expect(report.stages.map((s) => s.status)).toEqual(['active', 'pending']);
    expect(report.stages[0]?.duration_ms).toBeLessThanOrEqual(report.elapsed_ms);
    expect(report.elapsed_ms).toBeLessThan(5000);
    const diff = await p.choiros(['play', 'diff', '--run', runId]);
    expect(diff.stdout).toContain('expected: no agent · limit 1s');
    const metrics = await p.choiros(['play', 'metrics', '--run', runId]);
    expect(metrics.stdout).toMatch(/stopped at a limit after \d+s/);
    expect(metrics.stdout).not.toContain('completed');
    const prometheus = await p.choiros(['metrics']);
    expect(prometheus.stdout).toContain('choiros_play_stage_success_rate{stage="build"} 0');
    expect(prometheus.stdout).toContain('choiros_play_deviations_total{kind="StageTimeout",stage="build"} 1');
  });
});

const GATED = ['phase a:', '  exec "echo a"', 'phase b:', '  let ok = gate approve:', '    prompt: "go on?"', '  exec "echo b"', 'phase c:', '  exec "echo c"'];

describe('admin overrides honoured by the runner', () => {
  it('advance: prose resume passes over the waiting stage and goes on at the target; reset: the stages run again, nothing of theirs replayed', async () => {
    const p = make(GATED);
    expect((await p.prose(['run', 'p.prose'])).exitCode).toBe(4);
    const runId = p.runId();
    const gate = p.tasks(runId).find((t) => t.task.startsWith('gate'));
    expect(gate?.status).toBe('awaiting_approval');

    const advance = await p.choiros(['play', 'advance', '--run', runId, '--stage', 'c']);
    expect(advance.stdout).toContain(`the stages before 'c' that have not succeeded are passed over (recorded as skipped, not run). It takes effect when the run goes on: prose resume ${runId}`);
    const resumed = await p.prose(['resume', runId]);
    expect(resumed.exitCode).toBe(0);
    expect(execs(p.tasks(runId))).toEqual(['a exec echo a succeeded', 'c exec echo c succeeded']);
    expect(p.tasks(runId).find((t) => t.id === gate?.id)).toMatchObject({ status: 'skipped', reason: 'advanced' });
    let report = await status(p, runId);
    expect(report.stages.map((s) => s.status)).toEqual(['done', 'skipped', 'done']);
    expect(report.deviations).toEqual([]);
    expect(report.next_action.kind).toBe('none');

    // The run succeeded; a reset to b still sends it back there.
    const reset = await p.choiros(['play', 'reset', '--run', runId, '--to-stage', 'b']);
    expect(reset.stdout).toContain("'b' and the stages after it run again, without replaying what they recorded before.");
    expect((await p.prose(['resume', runId])).exitCode).toBe(4);
    const again = p.tasks(runId).filter((t) => t.task.startsWith('gate'));
    expect(again.map((t) => t.status)).toEqual(['skipped', 'awaiting_approval']);
    expect((await p.choiros(['approve', String(again[1]?.id)])).exitCode).toBe(0);
    expect((await p.prose(['resume', runId])).exitCode).toBe(0);
    // a replayed; b and c ran again rather than replaying what c recorded before the reset.
    expect(execs(p.tasks(runId))).toEqual(['a exec echo a succeeded', 'c exec echo c succeeded', 'b exec echo b succeeded', 'c exec echo c succeeded']);
    report = await status(p, runId);
    expect(report.stages.map((s) => s.status)).toEqual(['done', 'done', 'done']);
    expect(report.deviations).toEqual([]);
  });

  it('refuses to advance to a stage the run is in or past', async () => {
    const p = make(GATED);
    await p.prose(['run', 'p.prose']);
    const runId = p.runId();
    const done = await p.choiros(['play', 'advance', '--run', runId, '--stage', 'a']);
    expect(done.exitCode).toBe(2);
    expect(done.stderr).toContain(`Stage 'a' of ${runId} is done: an advance moves the play on to a stage that has not run.`);
    expect(done.stderr).toContain(`choiros play reset --run ${runId} --to-stage a`);
  });

  it('advance: a live run acts on it when its current phase ends', async () => {
    const p = make(['phase a:', '  exec "sleep 2"', ...GATED.slice(2)]);
    const child = p.spawnProse(['run', 'p.prose']);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const runId = await waitFor(() => {
      const id = p.runId();
      return id !== '' && p.tasks(id).some((t) => t.task === 'exec sleep 2' && t.status === 'running') ? id : undefined;
    }, 20_000, 'the first phase to start its command');
    const advance = await p.choiros(['play', 'advance', '--run', runId, '--stage', 'c']);
    expect(advance.stdout).toContain('The run acts on it when its current phase ends.');
    expect(await exited).toBe(0);
    // a finished its command; b (and its gate) never ran.
    expect(execs(p.tasks(runId))).toEqual(['a exec sleep 2 succeeded', 'c exec echo c succeeded']);
    expect(p.tasks(runId).some((t) => t.task.startsWith('gate'))).toBe(false);
    const report = await status(p, runId);
    expect(report.stages.map((s) => s.status)).toEqual(['done', 'skipped', 'done']);
    expect(report.deviations).toEqual([]);
  });

  it('reset: a live run goes back to the stage when its current phase ends, and runs it again', async () => {
    const p = make(['phase a:', '  exec "sleep 2"', 'phase b:', '  exec "echo b"']);
    const child = p.spawnProse(['run', 'p.prose']);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const runId = await waitFor(() => {
      const id = p.runId();
      return id !== '' && p.tasks(id).some((t) => t.task === 'exec sleep 2' && t.status === 'running') ? id : undefined;
    }, 20_000, 'the first phase to start its command');
    expect((await p.choiros(['play', 'reset', '--run', runId, '--to-stage', 'a'])).exitCode).toBe(0);
    expect(await exited).toBe(0);
    expect(execs(p.tasks(runId))).toEqual(['a exec sleep 2 succeeded', 'a exec sleep 2 succeeded', 'b exec echo b succeeded']);
    const report = await status(p, runId);
    expect(report.stages.map((s) => s.status)).toEqual(['done', 'done']);
    expect(report.deviations).toEqual([]);
  });
});
