import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/ledger.js';
import { CHOIROS, makeProject, type TestProject } from '../helpers/project.js';
import { waitFor } from '../helpers/wait.js';
import { SeededLedger } from './play-fixture.js';

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

function seeded(): TestProject {
  project = makeProject({ 'choiros.yaml': 'session: app\n' });
  const seed = new SeededLedger(project.root);
  const runId = seed.liveRun();
  seed.ledger.append(runId, { type: 'deviation', kind: 'StageStuck', stage: 'quality', detail: 'no output for 10m' });
  seed.ledger.append(runId, { type: 'admin', action: 'reset', stage: 'quality', by: 'alice' });
  const failed = seed.ledger.createRun({ program: 'prose/build.prose', programHash: 'h1' });
  seed.ledger.finishRun(failed.id, 'failed', 'limit');
  seed.close();
  return project;
}

/** The value of one sample line, e.g. `choiros_play_completion_rate 0.75`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('choiros metrics', () => {
  it('prints the play metrics in Prometheus text format from the ledger', async () => {
    const project = seeded();
    const result = await project.choiros(['metrics']);
    expect(result.exitCode).toBe(0);
    const text = result.stdout;
    expect(text).toContain('# TYPE choiros_play_stage_duration_seconds histogram');
    // implementation ran 4 times (10, 20, 30 and 20 minutes): all within the 1800s bucket, one at 600s.
    expect(sample(text, 'choiros_play_stage_duration_seconds_bucket{le="600",stage="implementation",status="succeeded"}')).toBe(1);
    expect(sample(text, 'choiros_play_stage_duration_seconds_count{stage="implementation",status="succeeded"}')).toBe(4);
    expect(sample(text, 'choiros_play_agent_retries_total{agent="rex"}')).toBe(1);
    expect(sample(text, 'choiros_play_completion_rate')).toBe(0.75);
    expect(sample(text, 'choiros_play_stage_success_rate{stage="quality"}')).toBe(1);
    expect(sample(text, 'choiros_play_active_runs{stage="quality"}')).toBe(1);
    expect(sample(text, 'choiros_play_deviations_total{kind="StageStuck",stage="quality"}')).toBe(1);
    expect(sample(text, 'choiros_play_remediations_total{type="reset"}')).toBe(1);
    expect(sample(text, 'choiros_play_remediations_total{type="retry"}')).toBe(1);
    expect(sample(text, 'choiros_play_time_to_completion_seconds_count')).toBe(3);
  });

  it('counts a stage its run stopped in (at a limit) as ended, against its success rate, and not one that waits for approval', async () => {
    project = makeProject({ 'choiros.yaml': 'session: app\n' });
    const seed = new SeededLedger(project.root);
    for (const minutes of [[10, 10, 20], [20, 5, 20]]) seed.pastRun(minutes);
    const stopped = seed.ledger.createRun({ program: 'prose/build.prose', programHash: 'h1' });
    seed.ledger.append(stopped.id, { type: 'stage.started', stage: 'quality' });
    seed.clock += 2 * 60_000;
    seed.ledger.finishRun(stopped.id, 'stopped', 'phase quality ran past its timeout of 1m00s');
    const waiting = seed.ledger.createRun({ program: 'prose/build.prose', programHash: 'h1' });
    seed.ledger.append(waiting.id, { type: 'stage.started', stage: 'quality' });
    seed.ledger.finishRun(waiting.id, 'awaiting_approval');
    seed.close();
    const text = (await project.choiros(['metrics'])).stdout;
    expect(sample(text, 'choiros_play_stage_success_rate{stage="quality"}')).toBeCloseTo(2 / 3);
    expect(sample(text, 'choiros_play_stage_duration_seconds_count{stage="quality",status="stopped"}')).toBe(1);
    expect(sample(text, 'choiros_play_stage_duration_seconds_sum{stage="quality",status="stopped"}')).toBe(120);
    expect(sample(text, 'choiros_play_stage_success_rate{stage="implementation"}')).toBe(1);
  });

  it('serves /metrics on a loopback address, fresh at every scrape, until interrupted', async () => {
    const project = seeded();
    const child = spawn(process.execPath, [CHOIROS, 'metrics', '--serve', '127.0.0.1:0'], { cwd: project.root, env: project.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await waitFor(() => /Serving Prometheus metrics on (\S+)/.exec(stderr)?.[1], 15_000, 'the server to listen');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(sample(await response.text(), 'choiros_play_active_runs{stage="quality"}')).toBe(1);
    const ledger = Ledger.open(join(project.root, '.choiros', 'ledger.db'));
    const live = ledger.pageRuns(10).items.find((r) => r.status === 'running');
    ledger.finishRun(live?.id ?? '', 'succeeded');
    ledger.close();
    const again = await (await fetch(url)).text();
    expect(sample(again, 'choiros_play_active_runs{stage="quality"}')).toBeUndefined();
    expect(sample(again, 'choiros_play_completion_rate')).toBe(0.8);
    expect((await fetch(url.replace('/metrics', '/other'))).status).toBe(404);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
  });

  it('refuses an address that is not HOST:PORT', async () => {
    const project = seeded();
    const result = await project.choiros(['metrics', '--serve', '9464']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--serve: expected HOST:PORT (127.0.0.1:9464), got '9464'");
  });
});
