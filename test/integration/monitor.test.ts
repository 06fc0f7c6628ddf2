import { afterEach, describe, expect, it } from 'vitest';
import { CHOIROS, makeProject, type TestProject } from '../helpers/project.js';
import { waitFor } from '../helpers/wait.js';
import { SeededLedger } from './play-fixture.js';

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

describe('choiros monitor', () => {
  it('refuses without a terminal (a usage error, exit 2) and says what to use instead', async () => {
    project = makeProject();
    const result = await project.choiros(['monitor']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('choiros monitor draws a full-screen display and needs a terminal.');
    expect(result.stderr).toContain('choiros dashboard --plain');
  });

  it('fills the wall display in a terminal, logs new events live and quits on q', async () => {
    project = makeProject({ 'choiros.yaml': 'session: app\n' });
    const seed = new SeededLedger(project.root);
    const runId = seed.liveRun();
    const p = project;
    // Through sh, which reports the exit code: tmux does not learn the status of a node process
    // that is a pane's own first process (tmux 3.3a).
    const monitor = `'${process.execPath}' '${CHOIROS}' monitor --interval 200ms; echo "monitor exited $?"; sleep 600`;
    await p.tmux(['-f', '/dev/null', 'new-session', '-d', '-s', 'wall', '-x', '140', '-y', '45', '-c', p.root, '--', '/bin/sh', '-c', monitor]);
    const screen = () => p.tmux(['capture-pane', '-p', '-t', '=wall:']).then((r) => r.stdout);
    const first = await waitFor(async () => {
      const s = await screen();
      return s.includes('stage quality started') && s;
    }, 15_000, 'the monitor to draw');
    for (const label of ['Stage durations (', 'Task durations', 'Runs', 'Events', 'Health: not measured', 'implementa']) expect(first).toContain(label);
    expect(first).toMatch(/running\s+prose\/build\.prose/);

    seed.ledger.append(runId, { type: 'deviation', kind: 'StageStuck', stage: 'quality', detail: 'no output for 10m' });
    seed.close();
    await waitFor(async () => (await screen()).includes('deviation StageStuck: no output for 10m'), 10_000, 'the new event in the log');

    await p.tmux(['send-keys', '-t', '=wall:', 'q']);
    await waitFor(async () => (await screen()).includes('monitor exited 0'), 10_000, 'the monitor to quit with 0');
  });
});
