import type { WindowConfig } from '../config/schema.js';
import type { TmuxCommand } from './client.js';
import { decide, type Decision, type SupervisorEvent } from './decide.js';
import { PaneOption, type PaneInfo } from './format.js';
import { launchArgs, pipeLog, realLaunch, type LaunchContext } from './launch.js';

export const TICK_MS = 500;
/**
 * Housekeeping (log rotation) every second: a stat per logged window costs nothing, and a window
 * that logs fast overshoots `logs.max_size` by at most a second of output.
 */
const HOUSEKEEPING_TICKS = 2;

/** Everything the supervisor does to the world, injected so the loop is testable with fakes. */
export interface SupervisorPorts {
  now(): number;
  panes(): Promise<PaneInfo[]>;
  apply(commands: TmuxCommand[]): Promise<void>;
  probe(window: WindowConfig, pane: PaneInfo): Promise<boolean>;
  /** Ends whatever is left of a dead pane's process tree. */
  reap(pid: number): Promise<void>;
  /** Where a window's new output starts in its log file (see startLogSection). */
  logStart(window: string): number;
  record(event: SupervisorEvent): void;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Periodic chores (log rotation). */
  housekeeping(): void;
}

function optionCommands(paneId: string, set: Decision['set']): TmuxCommand[] {
  return Object.entries(set).map(([key, value]) => {
    // Decision keys are named after the pane options they set.
    const option = PaneOption[key as keyof Decision['set']];
    return value === null ? ['set-option', '-p', '-u', '-t', paneId, option] : ['set-option', '-p', '-t', paneId, option, String(value)];
  });
}

/**
 * Watches one session's windows and acts on what it sees: starts windows whose dependencies
 * became ready, probes readiness, and restarts exited processes per their policy. Its memory is
 * in tmux pane options, so a restarted supervisor carries on where the last one stopped.
 */
export class Supervisor {
  private readonly probing = new Set<string>();
  private readonly lastProbe = new Map<string, number>();
  private readonly probeResults = new Map<string, boolean>();

  constructor(
    private readonly windows: readonly WindowConfig[],
    private readonly ctx: LaunchContext,
    private readonly ports: SupervisorPorts,
  ) {}

  /** One look at the session. Returns false when the session no longer exists. */
  async tick(): Promise<boolean> {
    const now = this.ports.now();
    const own = (await this.ports.panes()).filter((p) => p.sessionName === this.ctx.session);
    if (own.length === 0) return false;
    const byTag = new Map(own.filter((p) => p.tag !== '').map((p) => [p.tag, p]));
    const ready = new Set(own.filter((p) => !p.dead && p.ready).map((p) => p.tag));
    const commands: TmuxCommand[] = [];

    for (const window of this.windows) {
      const pane = byTag.get(window.name);
      if (pane === undefined) continue;
      const key = `${window.name}@${pane.startedAt ?? 0}`;
      const probeResult = this.probeResults.get(key);
      this.probeResults.delete(key);
      const decision = decide({
        window,
        pane,
        now,
        depsReady: window.depends_on.every((d) => ready.has(d)),
        probeResult,
        probeDue: this.probeDue(window, now),
      });
      if (decision.reap) await this.ports.reap(pane.pid);
      if (decision.respawn) {
        commands.push(['respawn-pane', '-k', '-t', pane.paneId, ...launchArgs(realLaunch(window, this.ctx))]);
        commands.push(['set-option', '-p', '-t', pane.paneId, PaneOption.logOffset, String(this.ports.logStart(window.name))]);
        if (window.log) commands.push(pipeLog(pane.paneId, this.ctx.logFile(window.name)));
      }
      commands.push(...optionCommands(pane.paneId, decision.set));
      if (decision.probe) this.startProbe(window, pane, key, now);
      for (const event of decision.events) this.ports.record(event);
    }
    if (commands.length > 0) await this.ports.apply(commands);
    return true;
  }

  private probeDue(window: WindowConfig, now: number): boolean {
    if (this.probing.has(window.name)) return false;
    const last = this.lastProbe.get(window.name);
    return last === undefined || now - last >= (window.ready?.interval ?? 0);
  }

  private startProbe(window: WindowConfig, pane: PaneInfo, key: string, now: number): void {
    this.probing.add(window.name);
    this.lastProbe.set(window.name, now);
    void this.ports
      .probe(window, pane)
      .catch(() => false)
      .then((ok) => this.probeResults.set(key, ok))
      .finally(() => this.probing.delete(window.name));
  }

  /** Runs until aborted or until the session has been gone for a few ticks. */
  async run(signal: AbortSignal, onError: (error: unknown) => void): Promise<void> {
    let goneTicks = 0;
    let ticks = 0;
    while (!signal.aborted) {
      try {
        goneTicks = (await this.tick()) ? 0 : goneTicks + 1;
        if (goneTicks >= 6) return;
        if (++ticks % HOUSEKEEPING_TICKS === 0) this.ports.housekeeping();
      } catch (error) {
        onError(error);
      }
      await this.ports.sleep(TICK_MS, signal);
    }
  }
}
