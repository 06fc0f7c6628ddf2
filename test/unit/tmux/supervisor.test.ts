import { describe, expect, it } from 'vitest';
import type { TmuxCommand } from '../../../src/tmux/client.js';
import type { SupervisorEvent } from '../../../src/tmux/decide.js';
import { PaneOption, type PaneInfo } from '../../../src/tmux/format.js';
import { Supervisor, type SupervisorPorts } from '../../../src/tmux/supervisor.js';
import type { WindowConfig } from '../../../src/config/schema.js';
import { launchCtx, win } from '../../helpers/config.js';
import { pane } from '../../helpers/panes.js';

const OPTION_FIELDS: Record<string, keyof PaneInfo> = {
  [PaneOption.state]: 'state',
  [PaneOption.ready]: 'ready',
  [PaneOption.restarts]: 'restarts',
  [PaneOption.failures]: 'failures',
  [PaneOption.startedAt]: 'startedAt',
  [PaneOption.nextAt]: 'nextAt',
  [PaneOption.exit]: 'exit',
  [PaneOption.note]: 'note',
  [PaneOption.logOffset]: 'logOffset',
};

/** tmux as far as the supervisor uses it: panes that respawn and hold options. */
class FakeTmux {
  panes: PaneInfo[];
  respawned: string[] = [];
  piped: string[] = [];
  private nextPid = 5000;

  constructor(panes: PaneInfo[]) {
    this.panes = panes;
  }

  apply(commands: readonly TmuxCommand[]): void {
    for (const c of commands) {
      const target = c[c.indexOf('-t') + 1];
      const p = this.panes.find((x) => x.paneId === target);
      if (p === undefined) throw new Error(`no pane ${String(target)}`);
      if (c[0] === 'respawn-pane') {
        Object.assign(p, { dead: false, deadStatus: undefined, deadSignal: undefined, pid: this.nextPid++ });
        this.respawned.push(p.tag);
      } else if (c[0] === 'pipe-pane') {
        this.piped.push(p.tag);
      } else if (c[0] === 'set-option') {
        const unset = c.includes('-u');
        const option = unset ? c.at(-1) : c.at(-2);
        const field = OPTION_FIELDS[option ?? ''];
        if (field === undefined) throw new Error(`unexpected option ${String(option)}`);
        const raw = unset ? undefined : c.at(-1);
        const value = field === 'ready' ? raw === '1' : ['restarts', 'failures', 'startedAt', 'nextAt', 'logOffset'].includes(field) ? (raw === undefined ? undefined : Number(raw)) : (raw ?? '');
        Object.assign(p, { [field]: value });
      }
    }
  }

  kill(tag: string, status: number): void {
    const p = this.panes.find((x) => x.tag === tag);
    if (p !== undefined) Object.assign(p, { dead: true, deadStatus: status });
  }
}

function harness(windows: WindowConfig[], panes: PaneInfo[], probe: (w: WindowConfig) => boolean = () => true) {
  const tmux = new FakeTmux(panes);
  const events: SupervisorEvent[] = [];
  const reaped: number[] = [];
  let now = 0;
  const ports: SupervisorPorts = {
    now: () => now,
    panes: async () => tmux.panes.map((p) => ({ ...p })),
    apply: async (commands) => tmux.apply(commands),
    probe: async (w) => probe(w),
    reap: async (pid) => void reaped.push(pid),
    logStart: () => 0,
    record: (e) => void events.push(e),
    sleep: async () => {},
    housekeeping: () => {},
  };
  const supervisor = new Supervisor(windows, launchCtx(), ports);
  const tick = async (at: number) => {
    now = at;
    await supervisor.tick();
    // Let probe promises settle, as the 500 ms between real ticks would.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { tmux, events, reaped, tick, supervisor };
}

describe('Supervisor', () => {
  const db = win({ name: 'db', command: 'postgres', ready: { tcp: 5432 } });
  const api = win({ name: 'api', command: 'node api.js', depends_on: ['db'], backoff: '1s', max_restarts: 1 });

  it('starts dependents only after the dependency is ready', async () => {
    const h = harness(
      [db, api],
      [
        pane({ tag: 'db', paneId: '%0', state: 'starting', ready: false }),
        pane({ tag: 'api', paneId: '%1', windowIndex: 1, state: 'waiting', ready: false }),
      ],
    );
    await h.tick(100);
    expect(h.tmux.respawned).toEqual([]);
    await h.tick(600);
    expect(h.tmux.panes[0]).toMatchObject({ state: 'ready', ready: true });
    await h.tick(1100);
    expect(h.tmux.respawned).toEqual(['api']);
    await h.tick(1600);
    expect(h.tmux.panes[1]).toMatchObject({ state: 'ready', ready: true, startedAt: 1100 });
    expect(h.events.map((e) => `${e.type}:${e.window}`)).toEqual(['ready:db', 'started:api', 'ready:api']);
  });

  it('restarts an exited process after its backoff, then gives up at max_restarts', async () => {
    const h = harness([db, api], [pane({ tag: 'db', paneId: '%0' }), pane({ tag: 'api', paneId: '%1', windowIndex: 1, pid: 77, startedAt: 0 })]);
    h.tmux.kill('api', 1);
    await h.tick(500);
    expect(h.tmux.panes[1]).toMatchObject({ state: 'backoff', nextAt: 1500, exit: 'code:1' });
    expect(h.reaped).toEqual([77]);
    await h.tick(1000);
    expect(h.tmux.respawned).toEqual([]);
    await h.tick(1500);
    expect(h.tmux.respawned).toEqual(['api']);
    expect(h.tmux.piped).toEqual(['api']);
    expect(h.tmux.panes[1]).toMatchObject({ restarts: 1, state: 'starting' });
    await h.tick(2000);
    h.tmux.kill('api', 2);
    await h.tick(2500);
    expect(h.tmux.panes[1]).toMatchObject({ state: 'failed', note: 'gave up after 1 restarts' });
    expect(h.events.map((e) => e.type)).toEqual(['exited', 'restart-scheduled', 'restarted', 'ready', 'exited', 'gave-up']);
  });

  it('never runs two probes of one window at once', async () => {
    let calls = 0;
    let release: (ok: boolean) => void = () => {};
    const tmux = new FakeTmux([pane({ tag: 'db', paneId: '%0', state: 'starting', ready: false })]);
    let now = 0;
    const supervisor = new Supervisor([db], launchCtx(), {
      now: () => now,
      panes: async () => tmux.panes.map((p) => ({ ...p })),
      apply: async (c) => tmux.apply(c),
      probe: () => {
        calls += 1;
        return new Promise((resolve) => (release = resolve));
      },
      reap: async () => {},
      logStart: () => 0,
      record: () => {},
      sleep: async () => {},
      housekeeping: () => {},
    });
    for (now = 0; now <= 3000; now += 500) await supervisor.tick();
    expect(calls).toBe(1);
    release(true);
    await new Promise((resolve) => setImmediate(resolve));
    await supervisor.tick();
    expect(tmux.panes[0]).toMatchObject({ state: 'ready', ready: true });
  });

  it('reports that the session is gone', async () => {
    const h = harness([db], [pane({ tag: 'db', sessionName: 'other' })]);
    expect(await h.supervisor.tick()).toBe(false);
  });

  it('stops when aborted', async () => {
    const h = harness([db], [pane({ tag: 'db', paneId: '%0' })]);
    const controller = new AbortController();
    controller.abort();
    await h.supervisor.run(controller.signal, () => {});
    expect(h.events).toEqual([]);
  });
});
