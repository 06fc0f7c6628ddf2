import { describe, expect, it } from 'vitest';
import type { TmuxCommand } from '../../../src/tmux/client.js';
import { planStart, type PlanInput } from '../../../src/tmux/plan.js';
import { specHash } from '../../../src/tmux/launch.js';
import { launchCtx, win } from '../../helpers/config.js';
import { pane } from '../../helpers/panes.js';

const ctx = launchCtx();
const windows = [
  win({ name: 'editor' }),
  win({ name: 'api', command: 'npm run dev', ready: { tcp: 8080 } }),
  win({ name: 'ui', command: 'npm run ui', depends_on: ['api'] }),
  win({ name: 'e2e', command: 'npm run e2e', autostart: false }),
  win({ name: 'logs', command: 'choiros logs -f', log: false }),
];

function input(panes: PlanInput['panes'] = [], overrides: Partial<PlanInput> = {}): PlanInput {
  return { windows, panes, ctx, now: 1000, logStart: () => 7, supervisor: { argv: ['/usr/bin/node', 'choiros.js', 'supervise'], spec: 'cfg1' }, ...overrides };
}

const names = (commands: readonly TmuxCommand[]) => commands.map((c) => c[0]);
const argvOf = (command: TmuxCommand) => command.slice(command.indexOf('--') + 1);

describe('planStart on a fresh server', () => {
  const plan = planStart(input());

  it('creates every window and the supervisor in one command list', () => {
    expect(plan.fresh).toBe(true);
    expect(plan.windows.map((w) => [w.name, w.action, w.launch?.state])).toEqual([
      ['editor', 'create', 'starting'],
      ['api', 'create', 'starting'],
      ['ui', 'create', 'waiting'],
      ['e2e', 'create', 'idle'],
      ['logs', 'create', 'starting'],
    ]);
    expect(names(plan.commands).filter((n) => n === 'new-session')).toHaveLength(2);
    expect(names(plan.commands).filter((n) => n === 'new-window')).toHaveLength(4);
    expect(plan.supervisor).toBe('create');
    expect(plan.commands.at(-1)).toEqual(['select-window', '-t', '=app:0']);
  });

  it('runs commands as the pane process through /bin/sh, and choiros as this very build', () => {
    const api = plan.commands.find((c) => c[0] === 'new-window' && c.includes('api'));
    expect(argvOf(api ?? [])).toEqual(['/bin/sh', '-c', 'npm run dev']);
    const logs = plan.commands.find((c) => c[0] === 'new-window' && c.includes('logs'));
    expect(argvOf(logs ?? [])).toEqual(['/bin/sh', '-c', '/usr/bin/node /opt/choiros/bin/choiros.js logs -f']);
    const editor = plan.commands[0] ?? [];
    expect(editor.slice(0, 5)).toEqual(['new-session', '-d', '-s', 'app', '-n']);
    expect(argvOf(editor)).toEqual(['/bin/bash']);
  });

  it('passes the session identity to every pane and tags each pane with its window', () => {
    const api = plan.commands.find((c) => c[0] === 'new-window' && c.includes('api')) ?? [];
    expect(api).toContain('CHOIROS_WINDOW=api');
    expect(api).toContain('CHOIROS_TMUX_SOCKET=choiros-app');
    expect(plan.commands).toContainEqual(['set-option', '-p', '-t', '=app:1.0', '@choiros_window', 'api']);
    expect(plan.commands).toContainEqual(['set-option', '-p', '-t', '=app:1.0', '@choiros_log_offset', '7']);
    expect(plan.commands).toContainEqual(['set-option', '-t', '=app:', '@choiros_root', '/work/app']);
  });

  it('pipes output to log files except for windows with log: false', () => {
    const pipes = plan.commands.filter((c) => c[0] === 'pipe-pane');
    expect(pipes.map((c) => c[2])).toEqual(['=app:0.0', '=app:1.0', '=app:2.0', '=app:3.0']);
    expect(pipes[1]?.[3]).toBe("exec cat >> /home/u/.local/share/choiros/logs/app/api.log");
  });

  it('opens the log pipes after every pane exists, in the same command list', () => {
    const kinds = names(plan.commands);
    const lastPane = Math.max(kinds.lastIndexOf('new-session'), kinds.lastIndexOf('new-window'));
    expect(kinds.indexOf('pipe-pane')).toBeGreaterThan(lastPane);
  });

  it('escapes # in log paths because tmux expands formats in pipe-pane commands', () => {
    const odd = planStart(input([], { ctx: launchCtx({ logFile: (w) => `/tmp/a#b/${w}.log` }) }));
    expect(odd.commands.find((c) => c[0] === 'pipe-pane')?.[3]).toBe("exec cat >> '/tmp/a##b/editor.log'");
  });
});

describe('planStart against a running session', () => {
  const live = (tag: string, windowIndex: number, extra = {}) =>
    pane({ tag, windowIndex, paneId: `%${windowIndex}`, spec: specHash(windows.find((w) => w.name === tag) ?? win({ name: tag }), ctx), ...extra });
  const supervisor = pane({ sessionName: 'app-supervisor', paneId: '%9', spec: 'cfg1' });

  it('changes nothing when every window and the supervisor are alive', () => {
    const panes = windows.map((w, i) => live(w.name, i));
    const plan = planStart(input([...panes, supervisor]));
    expect(plan.windows.every((w) => w.action === 'keep')).toBe(true);
    expect(plan.commands).toEqual([]);
  });

  it('respawns dead windows in place and creates missing ones at a free index', () => {
    const panes = [live('editor', 0), live('api', 1, { dead: true, restarts: 3 }), live('ui', 2), live('e2e', 3), pane({ tag: '', windowIndex: 4, paneId: '%44' })];
    const plan = planStart(input([...panes, supervisor]));
    expect(plan.windows.map((w) => [w.name, w.action])).toEqual([
      ['editor', 'keep'],
      ['api', 'respawn'],
      ['ui', 'keep'],
      ['e2e', 'keep'],
      ['logs', 'create'],
    ]);
    expect(plan.commands[0]?.slice(0, 4)).toEqual(['respawn-pane', '-k', '-t', '%1']);
    // Respawning a dead pane closes its log pipe: it is opened again.
    expect(plan.commands).toContainEqual(['pipe-pane', '-t', '%1', 'exec cat >> /home/u/.local/share/choiros/logs/app/api.log']);
    expect(plan.commands).toContainEqual(['set-option', '-p', '-t', '%1', '@choiros_restarts', '3']);
    expect(plan.commands.find((c) => c[0] === 'new-window')?.slice(0, 4)).toEqual(['new-window', '-d', '-t', '=app:5']);
    expect(plan.commands.some((c) => c[0] === 'new-session')).toBe(false);
  });

  it('starts a window whose dependencies are ready, and holds it when they are not', () => {
    const ready = planStart(input([live('api', 1), supervisor]));
    expect(ready.windows.find((w) => w.name === 'ui')?.launch?.state).toBe('starting');
    const notReady = planStart(input([live('api', 1, { ready: false, state: 'starting' }), supervisor]));
    expect(notReady.windows.find((w) => w.name === 'ui')?.launch?.state).toBe('waiting');
  });

  it('reports a live window whose config changed instead of restarting it', () => {
    const plan = planStart(input([live('api', 1, { spec: 'old' }), supervisor]));
    expect(plan.windows.find((w) => w.name === 'api')).toMatchObject({ action: 'keep', changed: true });
  });

  it('restarts the supervisor when it died or its config changed', () => {
    expect(planStart(input([{ ...supervisor, dead: true }])).supervisor).toBe('respawn');
    expect(planStart(input([{ ...supervisor, spec: 'cfg0' }])).supervisor).toBe('respawn');
    expect(planStart(input([supervisor])).supervisor).toBe('keep');
  });
});
