import type { WindowConfig } from '../config/schema.js';
import { firstPaneTarget, sessionTarget, windowTarget, type TmuxCommand } from './client.js';
import { PaneOption, SessionOption, type PaneInfo } from './format.js';
import {
  baseEnv,
  idleLaunch,
  launchArgs,
  markPane,
  pipeLog,
  realLaunch,
  specHash,
  supervisorSession,
  waitingLaunch,
  type Launch,
  type LaunchContext,
} from './launch.js';

export type WindowAction = 'create' | 'respawn' | 'keep';

export interface PlannedWindow {
  name: string;
  action: WindowAction;
  /** For created and respawned windows: what the pane runs now (its real command or a stand-in). */
  launch?: Launch;
  /** Set when a kept window's command, env or cwd differ from choiros.yaml. */
  changed?: boolean;
}

export interface StartPlan {
  /** True when the session did not exist and is created from scratch. */
  fresh: boolean;
  windows: PlannedWindow[];
  supervisor: WindowAction;
  /** Everything, in order, for one tmux invocation. Empty when there is nothing to do. */
  commands: TmuxCommand[];
}

export interface PlanInput {
  windows: readonly WindowConfig[];
  panes: readonly PaneInfo[];
  ctx: LaunchContext;
  now: number;
  /** Where each window's new output starts in its log file: probes read only what follows. */
  logStart(window: string): number;
  /** The supervisor's argv (choiros supervise …) and a hash of the config it supervises. */
  supervisor: { argv: string[]; spec: string };
}

function chooseLaunch(window: WindowConfig, ready: ReadonlySet<string>, ctx: LaunchContext): Launch {
  if (!window.autostart) return idleLaunch(window, ctx);
  if (window.depends_on.some((d) => !ready.has(d))) return waitingLaunch(window, ctx);
  return realLaunch(window, ctx);
}

/**
 * Plans `choiros start` against what is running: missing windows are created, dead ones are
 * respawned in place, live ones are kept. Pure: the caller runs `commands` in one round trip.
 */
export function planStart(input: PlanInput): StartPlan {
  const { windows, panes, ctx, now } = input;
  const session = ctx.session;
  const own = panes.filter((p) => p.sessionName === session);
  const fresh = own.length === 0;
  const byTag = new Map(own.filter((p) => p.tag !== '').map((p) => [p.tag, p]));
  const ready = new Set(own.filter((p) => !p.dead && p.ready).map((p) => p.tag));
  const usedIndexes = new Set(own.map((p) => p.windowIndex));
  const commands: TmuxCommand[] = [];
  // Log pipes go last: each forks `sh -c 'exec cat …'`, and forked while windows are still being
  // made they compete with tmux for the CPU (~9 ms of a ~55 ms round trip on two loaded cores).
  // No output is lost: tmux runs one command list to its end before it reads any pane.
  const pipes: TmuxCommand[] = [];
  const planned: PlannedWindow[] = [];
  let sessionCreated = !fresh;

  windows.forEach((window, position) => {
    const pane = byTag.get(window.name);
    const spec = specHash(window, ctx);
    if (pane !== undefined && !pane.dead) {
      planned.push({ name: window.name, action: 'keep', changed: pane.spec !== '' && pane.spec !== spec });
      return;
    }
    const launch = chooseLaunch(window, ready, ctx);
    let target: string;
    if (pane !== undefined) {
      target = pane.paneId;
      commands.push(['respawn-pane', '-k', '-t', target, ...launchArgs(launch)]);
    } else {
      const index = usedIndexes.has(position) ? Math.max(-1, ...usedIndexes) + 1 : position;
      usedIndexes.add(index);
      target = firstPaneTarget(session, index);
      if (!sessionCreated) {
        commands.push(['new-session', '-d', '-s', session, '-n', window.name, ...launchArgs(launch)]);
        commands.push(['set-option', '-t', sessionTarget(session), SessionOption.root, ctx.root]);
        sessionCreated = true;
      } else {
        commands.push(['new-window', '-d', '-t', windowTarget(session, index), '-n', window.name, ...launchArgs(launch)]);
      }
    }
    commands.push(
      ...markPane(target, {
        window: window.name,
        state: launch.state,
        startedAt: now,
        restarts: pane?.restarts ?? 0,
        logOffset: input.logStart(window.name),
        spec,
        fresh: pane === undefined,
      }),
    );
    if (window.log) pipes.push(pipeLog(target, ctx.logFile(window.name)));
    planned.push({ name: window.name, action: pane === undefined ? 'create' : 'respawn', launch });
  });

  const supervisor = planSupervisor(input, panes, commands);
  commands.push(...pipes);
  if (fresh && commands.length > 0) commands.push(['select-window', '-t', windowTarget(session, Math.min(...usedIndexes))]);
  return { fresh, windows: planned, supervisor, commands };
}

function planSupervisor(input: PlanInput, panes: readonly PaneInfo[], commands: TmuxCommand[]): WindowAction {
  const { ctx } = input;
  const name = supervisorSession(ctx.session);
  const pane = panes.find((p) => p.sessionName === name);
  const launch: Launch = { argv: input.supervisor.argv, env: baseEnv(ctx), cwd: ctx.root, state: 'starting' };
  const setSpec: TmuxCommand = ['set-option', '-p', '-t', firstPaneTarget(name, 0), PaneOption.spec, input.supervisor.spec];
  if (pane === undefined) {
    commands.push(['new-session', '-d', '-s', name, '-n', 'supervisor', ...launchArgs(launch)]);
    commands.push(['set-option', '-t', sessionTarget(name), SessionOption.role, 'supervisor']);
    commands.push(['set-option', '-t', sessionTarget(name), SessionOption.root, ctx.root]);
    commands.push(setSpec);
    return 'create';
  }
  if (pane.dead || pane.spec !== input.supervisor.spec) {
    commands.push(['respawn-pane', '-k', '-t', pane.paneId, ...launchArgs(launch)]);
    commands.push(setSpec);
    return 'respawn';
  }
  return 'keep';
}
