import { afterEach, describe, expect, it } from 'vitest';
import { CHOIROS, makeProject, type TestProject } from '../helpers/project.js';
import { waitFor } from '../helpers/wait.js';
import { SeededLedger } from './play-fixture.js';

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

function seeded(secret?: string): { project: TestProject; seed: SeededLedger; runId: string } {
  project = makeProject({ 'choiros.yaml': 'session: app\n' });
  const seed = new SeededLedger(project.root);
  const runId = seed.liveRun();
  if (secret !== undefined) {
    const task = seed.ledger.createTask({ task: 'exec:deploy', runId, stage: 'quality', agent: 'cleo', status: 'running' });
    seed.ledger.transition(task.id, 'failed', { reason: `401 ${secret}` });
  }
  return { project, seed, runId };
}

describe('choiros dashboard', () => {
  it('prints one plain frame without a terminal, with no escape codes and secrets redacted', async () => {
    const secret = 'ghp_0123456789abcdef';
    const { project, seed, runId } = seeded(secret);
    seed.close();
    const result = await project.choiros(['dashboard'], { env: { COLUMNS: '90', GITHUB_TOKEN: secret } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout).toContain(`PLAY WORKFLOW: ${runId}`);
    expect(result.stdout).toContain('PR:         #42');
    expect(result.stdout).toMatch(/│ ✓ Implementation │ Done\s+│ 20m 00s\s+│ rex\s+│ 1\s+│/);
    expect(result.stdout).toContain('failed: 401 [redacted]');
    expect(result.stdout).not.toContain(secret);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.every((l) => l.length === 80)).toBe(true); // the frame is at most 80 wide, like the design's
    const plain = await project.choiros(['dashboard', '--plain', '--run', runId], { env: { COLUMNS: '90', GITHUB_TOKEN: secret } });
    const steady = (text: string) => text.replace(/Elapsed: .*║/, '');
    expect(steady(plain.stdout)).toBe(steady(result.stdout));
  });

  it('draws live in a terminal, follows the run and leaves by itself when it ends', async () => {
    const { project, seed, runId } = seeded();
    await project.tmux(['-f', '/dev/null', 'new-session', '-d', '-s', 'dash', '-x', '100', '-y', '60', '-c', project.root, '--', process.execPath, CHOIROS, 'dashboard', '--interval', '200ms']);
    await project.tmux(['set-option', '-w', '-t', '=dash:', 'remain-on-exit', 'on']);
    const screen = () => project.tmux(['capture-pane', '-p', '-t', '=dash:']).then((r) => r.stdout);
    const first = await waitFor(async () => {
      const s = await screen();
      return s.includes('Live · q to quit') && s;
    }, 15_000, 'the live dashboard');
    expect(first).toContain(`PLAY WORKFLOW: ${runId}`);
    expect(first).toMatch(/▶ Quality\s+│ Active/);

    const task = seed.ledger.tasksOfRun(runId).at(-1);
    seed.ledger.transition(task?.id ?? 0, 'succeeded');
    seed.ledger.append(runId, { type: 'stage.finished', stage: 'quality', status: 'succeeded' });
    await waitFor(async () => /✓ Quality\s+│ Done/.test(await screen()), 10_000, 'quality to show as done');

    seed.ledger.finishRun(runId, 'cancelled', 'by alice');
    seed.close();
    await waitFor(async () => (await project.tmux(['list-panes', '-t', '=dash:', '-F', '#{pane_dead}'])).stdout.trim() === '1', 10_000, 'the dashboard to exit');
    const last = await screen();
    expect(last).not.toContain('Live · q to quit');
    expect(last).toContain('Est. Completion: cancelled');
  });
});
