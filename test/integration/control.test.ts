import { afterEach, describe, expect, it } from 'vitest';
import { TmuxClient } from '../../src/tmux/client.js';
import { TmuxControl, controlledPanes } from '../../src/tmux/control.js';
import { makeProject, type TestProject } from '../helpers/project.js';
import { waitFor } from '../helpers/wait.js';

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

describe('the tmux control client', () => {
  it('answers the same panes as a spawned query, without resizing anything', async () => {
    project = makeProject();
    const p = project;
    // Named windows: tmux's automatic-rename could change a name between the two queries.
    await p.tmux(['new-session', '-d', '-s', 'app', '-n', 'a', '-x', '120', '-y', '40', 'sleep 600', ';', 'new-window', '-d', '-n', 'b', 'sleep 600', ';', 'new-session', '-d', '-s', 'app-supervisor', '-n', 's', 'sleep 600']);
    await p.tmux(['set-option', '-g', 'automatic-rename', 'off']);
    const client = new TmuxClient(p.socket, p.env);
    const control = await TmuxControl.connect(client, 'app-supervisor');
    expect(control).toBeDefined();
    const viaControl = await control?.panes();
    expect(viaControl).toEqual(await client.panes());
    expect(viaControl?.map((x) => x.sessionName).sort()).toEqual(['app', 'app', 'app-supervisor']);
    const size = await p.tmux(['display-message', '-p', '-t', '=app:', '#{window_width}x#{window_height}']);
    expect(size.stdout.trim()).toBe('120x40');
    control?.close();
  });

  it('is refused for a session that does not exist', async () => {
    project = makeProject();
    await project.tmux(['new-session', '-d', '-s', 'other', 'sleep 600']);
    expect(await TmuxControl.connect(new TmuxClient(project.socket, project.env), 'missing')).toBeUndefined();
  });

  it('falls back to spawned queries when its session goes away, and attaches again when it returns', async () => {
    project = makeProject();
    const p = project;
    await p.tmux(['new-session', '-d', '-s', 'app', 'sleep 600', ';', 'new-session', '-d', '-s', 'app-supervisor', 'sleep 600']);
    const source = controlledPanes(new TmuxClient(p.socket, p.env), 'app-supervisor');
    try {
      expect((await source.panes()).length).toBe(2);
      await waitFor(async () => (await p.tmux(['list-clients', '-F', '#{client_flags}'])).stdout.includes('control-mode'), 5000, 'the control client');
      await p.tmux(['kill-session', '-t', '=app-supervisor:']);
      await waitFor(async () => (await source.panes()).length === 1, 5000, 'the panes without the supervisor');
      await p.tmux(['new-session', '-d', '-s', 'app-supervisor', 'sleep 600']);
      await waitFor(async () => (await source.panes()).length === 2, 5000, 'the supervisor session again');
      await waitFor(async () => (await p.tmux(['list-clients', '-F', '#{client_flags}'])).stdout.includes('control-mode'), 5000, 'the control client again');
    } finally {
      source.close();
    }
  });
});
