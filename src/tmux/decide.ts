import type { WindowConfig } from '../config/schema.js';
import { formatDuration } from '../config/units.js';
import type { PaneInfo, WindowState } from './format.js';

/** A process that stayed up this long counts as stable: its failure streak starts over. */
export const STABLE_AFTER_MS = 30_000;
/** Restart delays double from `backoff` up to this cap. */
export const MAX_BACKOFF_MS = 30_000;

export type SupervisorEvent =
  | { type: 'started'; window: string }
  | { type: 'ready'; window: string; afterMs: number }
  | { type: 'unready'; window: string; afterMs: number }
  | { type: 'exited'; window: string; exitCode: number | null; signal: number | null; uptimeMs: number | null }
  | { type: 'restart-scheduled'; window: string; delayMs: number; attempt: number }
  | { type: 'restarted'; window: string; restarts: number }
  | { type: 'gave-up'; window: string; failures: number };

/** What the supervisor should do about one window on this tick. */
export interface Decision {
  /** Pane options to set (values) or unset (null). */
  set: Partial<Record<'state' | 'ready' | 'restarts' | 'failures' | 'startedAt' | 'nextAt' | 'exit' | 'note', string | number | null>>;
  /** Replace the pane's process with the window's real command. */
  respawn: boolean;
  /** End what is left of the old process's tree (a dead shell's children may still hold ports). */
  reap: boolean;
  /** Run a readiness probe now. */
  probe: boolean;
  events: SupervisorEvent[];
}

export interface DecideInput {
  window: WindowConfig;
  pane: PaneInfo;
  now: number;
  /** Every `depends_on` window is ready. */
  depsReady: boolean;
  /** A probe result that arrived since the last tick: true passed, false failed. */
  probeResult: boolean | undefined;
  /** No probe for this window is running now, and its interval has passed. */
  probeDue: boolean;
}

const none = (): Decision => ({ set: {}, respawn: false, reap: false, probe: false, events: [] });

export function backoffDelay(window: WindowConfig, failures: number): number {
  return Math.min(MAX_BACKOFF_MS, window.backoff * 2 ** Math.max(0, failures - 1));
}

function start(decision: Decision, now: number): Decision {
  decision.respawn = true;
  decision.set = { ...decision.set, state: 'starting', ready: 0, startedAt: now, nextAt: null, note: null };
  return decision;
}

function onExit(window: WindowConfig, pane: PaneInfo, now: number): Decision {
  const d = none();
  const signal = pane.deadSignal ?? null;
  const exitCode = signal === null ? (pane.deadStatus ?? null) : null;
  const uptimeMs = pane.startedAt === undefined ? null : now - pane.startedAt;
  d.reap = true;
  d.events.push({ type: 'exited', window: window.name, exitCode, signal, uptimeMs });
  d.set = { ready: 0, exit: signal === null ? `code:${String(exitCode)}` : `signal:${signal}` };
  const failed = signal !== null || exitCode !== 0;
  if (window.restart === 'no' || (window.restart === 'on-failure' && !failed)) {
    d.set.state = 'exited' satisfies WindowState;
    return d;
  }
  const streak = uptimeMs !== null && uptimeMs >= STABLE_AFTER_MS ? 1 : pane.failures + 1;
  if (streak > window.max_restarts) {
    d.set = { ...d.set, state: 'failed', failures: streak, note: `gave up after ${window.max_restarts} restarts` };
    d.events.push({ type: 'gave-up', window: window.name, failures: streak });
    return d;
  }
  const delayMs = backoffDelay(window, streak);
  d.set = { ...d.set, state: 'backoff', failures: streak, nextAt: now + delayMs, note: `restarting in ${formatDuration(delayMs)}` };
  d.events.push({ type: 'restart-scheduled', window: window.name, delayMs, attempt: streak });
  return d;
}

function onProbe(input: DecideInput, d: Decision): Decision {
  const { window, pane, now } = input;
  const sinceStart = now - (pane.startedAt ?? now);
  if (input.probeResult === true) {
    d.set = { ...d.set, state: 'ready', ready: 1, note: null };
    d.events.push({ type: 'ready', window: window.name, afterMs: sinceStart });
    return d;
  }
  const timeout = window.ready?.timeout ?? 0;
  if (pane.state === 'starting' && sinceStart > timeout && input.probeResult === false) {
    d.set = { ...d.set, state: 'unhealthy', note: `not ready after ${formatDuration(timeout)}` };
    d.events.push({ type: 'unready', window: window.name, afterMs: sinceStart });
  }
  d.probe = input.probeDue;
  return d;
}

/**
 * tmux marks a pane dead when its terminal closes and learns the exit status a moment later (from
 * SIGCHLD): wait for the status rather than record an exit without a code, but not forever.
 */
function awaitingExitStatus(pane: PaneInfo, now: number): boolean {
  if (pane.deadStatus !== undefined || pane.deadSignal !== undefined) return false;
  return pane.deadTime === undefined || now - pane.deadTime * 1000 < 3000;
}

/**
 * The supervisor's state machine for one window, as a pure function of what tmux reports:
 * waiting → starting → ready | unhealthy; a death → exited | backoff → (respawn) | failed.
 */
export function decide(input: DecideInput): Decision {
  const { window, pane, now } = input;
  const state = pane.state;
  if (state === undefined || state === 'idle') return none();
  if (state === 'waiting') {
    if (!input.depsReady) return none();
    const d = start(none(), now);
    d.events.push({ type: 'started', window: window.name });
    return d;
  }

  if (pane.dead) {
    if (awaitingExitStatus(pane, now)) return none();
    if (state === 'starting' || state === 'ready' || state === 'unhealthy') return onExit(window, pane, now);
    if (state === 'backoff' && now >= (pane.nextAt ?? 0)) {
      const d = start(none(), now);
      d.set.restarts = pane.restarts + 1;
      d.events.push({ type: 'restarted', window: window.name, restarts: pane.restarts + 1 });
      return d;
    }
    return none();
  }

  // Alive from here on.
  if (state === 'exited' || state === 'failed' || state === 'backoff') {
    // Someone respawned the pane by hand: supervise the new process from scratch.
    const d = none();
    d.set = { state: 'starting', ready: 0, startedAt: now, nextAt: null, note: null };
    return d;
  }
  if (state === 'starting' && window.ready === undefined) {
    const d = none();
    d.set = { state: 'ready', ready: 1 };
    d.events.push({ type: 'ready', window: window.name, afterMs: now - (pane.startedAt ?? now) });
    return d;
  }
  if (state === 'starting' || state === 'unhealthy') return onProbe(input, none());
  if (state === 'ready' && pane.failures > 0 && now - (pane.startedAt ?? now) >= STABLE_AFTER_MS) {
    const d = none();
    d.set = { failures: 0 };
    return d;
  }
  return none();
}
