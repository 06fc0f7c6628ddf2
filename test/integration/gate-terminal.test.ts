/**
 * A `prose run` on a real terminal (a pane of a private tmux server) waiting at its gate prompt:
 * the ledger shows the gate waiting, and an answer given elsewhere — `choiros approve`, as the
 * web dashboard does — is taken by the waiting process, which goes on without a resume.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/process/run.js';
import { PROSE } from '../helpers/project.js';
import { waitFor } from '../helpers/wait.js';
import { loopConfig, loopProject, type LoopProject } from './loop-fixture.js';

let project: LoopProject | undefined;
let socket: string | undefined;

afterEach(async () => {
  if (socket !== undefined) {
    await run('tmux', ['-L', socket, 'kill-server']);
    rmSync(`/tmp/tmux-${process.getuid?.() ?? 0}/${socket}`, { force: true });
    socket = undefined;
  }
  project?.cleanup();
  project = undefined;
});

/** `prose run p.prose` in a pane of a private tmux server, at the gate prompt. */
async function atPrompt(p: LoopProject) {
  const name = `choiros-test-gate-${randomBytes(4).toString('hex')}`;
  socket = name;
  const tmux = (...args: string[]) => run('tmux', ['-L', name, '-f', '/dev/null', ...args], { env: p.env });
  // The exit status is echoed by a shell: tmux 3.3a may not report a node pane's own.
  const command = ['/bin/sh', '-c', '"$0" "$@"; echo "prose exited $?"', process.execPath, PROSE, 'run', 'p.prose'];
  await tmux('start-server', ';', 'set-option', '-g', 'remain-on-exit', 'on', ';', 'new-session', '-d', '-x', '120', '-y', '40', '-c', p.root, '--', ...command);
  const screen = async () => (await tmux('capture-pane', '-p', '-J', '-S', '-', '-E', '-')).stdout;
  // The statement tree shows the gate's text before the prompt does: wait for the prompt's own line.
  await waitFor(async () => (await screen()).includes('Enter to answer'), 30_000, 'the gate prompt');
  return { tmux, screen };
}

const PROGRAM = 'let answer = gate deploy:\n  prompt: "Ship it?"\nexec "true"\noutput shipped = answer\n';

describe('a gate prompt on a terminal', () => {
  it('records the answer typed there through the ledger', async () => {
    project = loopProject({ config: loopConfig(), program: PROGRAM });
    const p = project;
    const { tmux, screen } = await atPrompt(p);
    const id = p.runId();
    // A key sent before the prompt listens is lost: sent again until the gate is answered.
    await waitFor(
      async () => {
        await tmux('send-keys', 'Enter');
        await new Promise((resolve) => setTimeout(resolve, 300));
        return p.tasks(id)[0]?.status === 'succeeded';
      },
      15_000,
      'the typed answer to be taken',
    );
    const code = await waitFor(async () => /prose exited (\d+)/.exec(await screen())?.[1], 30_000, 'prose run to exit');
    expect(`${code}\n${await screen()}`).toMatch(/^0\n[\s\S]*shipped = Yes/);
    expect(p.tasks(id)[0]).toMatchObject({ task: 'gate deploy', status: 'succeeded', approvalState: 'approved', approver: 'tester' });
    const db = p.ledger();
    const answers = db.events({ runId: id }).filter((e) => e.event.type === 'task.approval');
    db.close();
    expect(answers.map((e) => e.event)).toEqual([{ type: 'task.approval', taskId: p.tasks(id)[0]?.id, state: 'approved', approver: 'tester', feedback: null, option: 'Yes' }]);
  });

  it('waits in the ledger, and takes the answer choiros approve gives while the prompt is shown', async () => {
    project = loopProject({ config: loopConfig(), program: PROGRAM });
    const p = project;
    const { screen } = await atPrompt(p);
    const id = p.runId();
    const gate = await waitFor(() => p.tasks(id).find((t) => t.task === 'gate deploy' && t.status === 'awaiting_approval'), 5000, 'the gate to wait in the ledger');

    const approved = await p.choiros(['approve', id, '--by', 'alice']);
    expect([approved.exitCode, approved.stdout]).toEqual([0, expect.stringContaining('The run goes on: its process reads the answer from the ledger.')]);
    const code = await waitFor(async () => /prose exited (\d+)/.exec(await screen())?.[1], 30_000, 'prose run to exit');
    const shown = await screen();
    expect(`${code}\n${shown}`).toMatch(/^0\n/);
    expect(shown).toContain('shipped = Yes');
    expect(shown).toContain('answered by alice outside this terminal');
    expect(p.tasks(id).find((t) => t.id === gate.id)).toMatchObject({ status: 'succeeded', approvalState: 'approved', approver: 'alice' });
  });
});
