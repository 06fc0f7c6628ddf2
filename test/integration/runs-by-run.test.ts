import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, parseJson, type TestProject } from '../helpers/project.js';
import { MIN, SeededLedger } from './play-fixture.js';

interface RunItem {
  id: string;
  status: string;
  reason: string | null;
  started_at: string;
  elapsed_ms: number;
  tasks: Record<string, number>;
}
interface RunPage {
  items: RunItem[];
  next_cursor: string | null;
}

let project: TestProject;
const ids: Record<'past' | 'limit' | 'resumed' | 'waiting', string> = { past: '', limit: '', resumed: '', waiting: '' };

/** Four runs an hour apart: one that succeeded, one stopped at a limit, one that waited 55 s for approval and went on, one waiting now. */
function seed(root: string): void {
  const s = new SeededLedger(root);
  const l = s.ledger;
  ids.past = s.pastRun([10, 5, 5]);
  const limit = l.createRun({ program: 'prose/build.prose', programHash: 'h1', mode: 'autonomous' });
  for (const outcome of ['failed', 'failed', 'succeeded'] as const) {
    const t = l.createTask({ task: 'session rex', runId: limit.id, agent: 'rex', status: 'running' });
    s.clock += MIN;
    l.transition(t.id, outcome);
  }
  l.finishRun(limit.id, 'stopped', 'max_iterations: 2 failed verifications in a row');
  ids.limit = limit.id;
  s.clock += 60 * MIN;
  const resumed = l.createRun({ program: 'prose/build.prose', programHash: 'h1', mode: 'assisted' });
  const gate = l.createTask({ task: 'gate deploy', runId: resumed.id, status: 'running' });
  s.clock += 2 * MIN;
  l.transition(gate.id, 'awaiting_approval');
  l.finishRun(resumed.id, 'awaiting_approval');
  s.clock += 55_000;
  l.answerApproval(gate.id, { state: 'approved', approver: 'ada' });
  l.claimRun(resumed.id, 1);
  l.transition(gate.id, 'succeeded');
  s.clock += MIN;
  l.finishRun(resumed.id, 'succeeded');
  ids.resumed = resumed.id;
  s.clock += 60 * MIN;
  const waiting = l.createRun({ program: 'prose/build.prose', programHash: 'h1', mode: 'assisted' });
  const open = l.createTask({ task: 'gate deploy', runId: waiting.id, status: 'running' });
  s.clock += MIN;
  l.transition(open.id, 'awaiting_approval');
  l.finishRun(waiting.id, 'awaiting_approval');
  ids.waiting = waiting.id;
  s.close();
}

beforeAll(() => {
  project = makeProject();
  seed(project.root);
});
afterAll(() => project.cleanup());

describe('choiros runs --by-run', () => {
  it('prints one row per run, newest first, keeping the run ids whole at 80 columns in a pipe', async () => {
    const result = await project.choiros(['runs', '--by-run'], { env: { COLUMNS: '80' } });
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RUN\s+STATUS\s+STARTED\s+TASKS/);
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/)[0])).toEqual([ids.waiting, ids.resumed, ids.limit, ids.past]);
    expect(lines.every((line) => line.length <= 80)).toBe(true);
    expect(lines[1]).toMatch(/awaiting approval\s+11-20 \d\d:\d\d\s+1 waiting/);
    expect(lines[3]).toMatch(/stopped at a limit\s+.*1 done, 2 failed/);
  });

  it('pages with --limit and --cursor as {items, next_cursor}, each run with its task counts and going time', async () => {
    const first = parseJson<RunPage>(await project.choiros(['runs', '--by-run', '--json', '--limit', '3']));
    expect(first.items.map((r) => r.id)).toEqual([ids.waiting, ids.resumed, ids.limit]);
    expect(first.next_cursor).not.toBeNull();
    const second = parseJson<RunPage>(await project.choiros(['runs', '--by-run', '--json', '--limit', '3', '--cursor', first.next_cursor ?? '']));
    expect(second).toMatchObject({ items: [{ id: ids.past, status: 'succeeded' }], next_cursor: null });
    const [, resumed, limit] = first.items;
    expect(limit).toMatchObject({ status: 'stopped', reason: 'max_iterations: 2 failed verifications in a row', tasks: { total: 3, succeeded: 1, failed: 2 } });
    // Three minutes going; the 55 s it stood waiting for approval do not count.
    expect(resumed?.elapsed_ms).toBe(3 * MIN);
  });

  it('filters runs by run status, and exports CSV', async () => {
    const stopped = parseJson<RunPage>(await project.choiros(['runs', '--by-run', '--status', 'stopped', '--json']));
    expect(stopped.items.map((r) => r.id)).toEqual([ids.limit]);
    const csv = await project.choiros(['runs', '--by-run', '--csv', '--status', 'awaiting_approval']);
    const rows = csv.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toBe('id,program,mode,status,reason,started_at,finished_at,elapsed_ms,tasks,succeeded,failed,awaiting_approval,origin');
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual([ids.waiting]);
  });

  it('refuses a status of the other view, naming the command that takes it', async () => {
    const taskView = await project.choiros(['runs', '--status', 'stopped']);
    expect(taskView.exitCode).toBe(2);
    expect(taskView.stderr).toContain('choiros runs --by-run --status stopped');
    const runView = await project.choiros(['runs', '--by-run', '--status', 'skipped']);
    expect(runView.exitCode).toBe(2);
    expect(runView.stderr).toContain('is a task status');
    expect((await project.choiros(['runs', '--by-run', '--run', ids.past])).exitCode).toBe(2);
  });

  it('is what the task list and a wrong run id point at', async () => {
    const tasks = await project.choiros(['runs']);
    expect(tasks.exitCode).toBe(0);
    expect(tasks.stdout).toMatch(/^ID\s+TASK/);
    expect(tasks.stderr).toContain('The runs, one row each: choiros runs --by-run');
    const wrong = await project.choiros(['play', 'status', '--run', 'run-nope']);
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toContain('`choiros runs --by-run` lists them');
  });
});
