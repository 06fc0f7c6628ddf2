import { describe, expect, it } from 'vitest';
import { backoffDelay, decide, STABLE_AFTER_MS, type DecideInput } from '../../../src/tmux/decide.js';
import { win } from '../../helpers/config.js';
import { pane } from '../../helpers/panes.js';

const api = win({ name: 'api', command: 'npm run dev', ready: { http: 'http://127.0.0.1:8080/health', timeout: '10s' }, max_restarts: 2 });
const plain = win({ name: 'worker', command: 'node worker.js' });

function input(overrides: Partial<DecideInput>): DecideInput {
  return { window: api, pane: pane({ tag: 'api', state: 'starting', ready: false, startedAt: 0 }), now: 1000, depsReady: true, probeResult: undefined, probeDue: true, ...overrides };
}

describe('decide', () => {
  it('starts a waiting window once its dependencies are ready, and not before', () => {
    const waiting = pane({ tag: 'ui', state: 'waiting', ready: false });
    expect(decide(input({ pane: waiting, depsReady: false })).respawn).toBe(false);
    const d = decide(input({ pane: waiting, depsReady: true, now: 5000 }));
    expect(d.respawn).toBe(true);
    expect(d.set).toMatchObject({ state: 'starting', ready: 0, startedAt: 5000 });
  });

  it('marks a window without a probe ready as soon as it runs', () => {
    const d = decide(input({ window: plain, pane: pane({ tag: 'worker', state: 'starting', ready: false }) }));
    expect(d.set).toMatchObject({ state: 'ready', ready: 1 });
    expect(d.events[0]?.type).toBe('ready');
  });

  it('probes a starting window when due and marks it ready when the probe passes', () => {
    expect(decide(input({})).probe).toBe(true);
    expect(decide(input({ probeDue: false })).probe).toBe(false);
    const d = decide(input({ probeResult: true }));
    expect(d.set).toMatchObject({ state: 'ready', ready: 1 });
  });

  it('calls a window unhealthy when its probe still fails after the timeout, and keeps probing', () => {
    expect(decide(input({ probeResult: false, now: 9000 })).set.state).toBeUndefined();
    const d = decide(input({ probeResult: false, now: 11_000 }));
    expect(d.set.state).toBe('unhealthy');
    expect(d.set.note).toBe('not ready after 10s');
    expect(d.probe).toBe(true);
    const later = decide(input({ pane: pane({ tag: 'api', state: 'unhealthy', ready: false }), probeResult: true }));
    expect(later.set.state).toBe('ready');
  });

  it('schedules a restart with exponential backoff when a process fails', () => {
    const dead = pane({ tag: 'api', state: 'ready', dead: true, deadStatus: 1, startedAt: 0, failures: 0 });
    const first = decide(input({ pane: dead, now: 2000 }));
    expect(first.set).toMatchObject({ state: 'backoff', ready: 0, failures: 1, nextAt: 3000, exit: 'code:1' });
    expect(first.reap).toBe(true);
    expect(first.events.map((e) => e.type)).toEqual(['exited', 'restart-scheduled']);
    const second = decide(input({ pane: { ...dead, failures: 1 }, now: 2000 }));
    expect(second.set).toMatchObject({ failures: 2, nextAt: 4000 });
  });

  it('restarts when the backoff has passed, counting the restart', () => {
    const backoff = pane({ tag: 'api', state: 'backoff', dead: true, deadStatus: 1, nextAt: 3000, restarts: 4 });
    expect(decide(input({ pane: backoff, now: 2999 })).respawn).toBe(false);
    const d = decide(input({ pane: backoff, now: 3000 }));
    expect(d.respawn).toBe(true);
    expect(d.set).toMatchObject({ state: 'starting', restarts: 5, startedAt: 3000 });
  });

  it('gives up after max_restarts consecutive failures', () => {
    const dead = pane({ tag: 'api', state: 'starting', dead: true, deadSignal: 9, startedAt: 0, failures: 2 });
    const d = decide(input({ pane: dead, now: 1000 }));
    expect(d.set).toMatchObject({ state: 'failed', exit: 'signal:9', note: 'gave up after 2 restarts' });
    expect(d.events.at(-1)?.type).toBe('gave-up');
  });

  it('starts the failure streak over after a stable run', () => {
    const dead = pane({ tag: 'api', state: 'ready', dead: true, deadStatus: 1, startedAt: 0, failures: 2 });
    const d = decide(input({ pane: dead, now: STABLE_AFTER_MS + 1 }));
    expect(d.set).toMatchObject({ state: 'backoff', failures: 1 });
  });

  it('follows the restart policy: no never restarts, on-failure ignores a clean exit, always restarts it', () => {
    const clean = pane({ tag: 'w', state: 'ready', dead: true, deadStatus: 0 });
    expect(decide(input({ window: win({ name: 'w', restart: 'no' }), pane: { ...clean, deadStatus: 1 } })).set.state).toBe('exited');
    expect(decide(input({ window: win({ name: 'w', restart: 'on-failure' }), pane: clean })).set.state).toBe('exited');
    expect(decide(input({ window: win({ name: 'w', restart: 'always' }), pane: clean })).set.state).toBe('backoff');
  });

  it('waits for the exit status tmux learns a moment after the pane dies', () => {
    const dying = pane({ tag: 'api', state: 'ready', dead: true, deadTime: 10 });
    expect(decide(input({ pane: dying, now: 11_000 })).events).toEqual([]);
    expect(decide(input({ pane: dying, now: 14_000 })).events[0]).toMatchObject({ type: 'exited', exitCode: null });
  });

  it('takes over a pane someone respawned by hand', () => {
    const d = decide(input({ pane: pane({ tag: 'api', state: 'failed', dead: false }), now: 7000 }));
    expect(d.set).toMatchObject({ state: 'starting', startedAt: 7000 });
    expect(d.respawn).toBe(false);
  });

  it('leaves idle windows and panes without state alone', () => {
    expect(decide(input({ pane: pane({ tag: 'e2e', state: 'idle', dead: true, deadStatus: 0 }) }))).toMatchObject({ respawn: false, set: {}, events: [] });
    expect(decide(input({ pane: pane({ tag: 'x', state: undefined }) })).events).toEqual([]);
  });

  it('caps the backoff at 30 seconds', () => {
    expect(backoffDelay(api, 1)).toBe(1000);
    expect(backoffDelay(api, 3)).toBe(4000);
    expect(backoffDelay(api, 20)).toBe(30_000);
  });
});
