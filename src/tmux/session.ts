import { lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import type { Project } from '../config/load.js';
import { sessionLogDir } from '../config/paths.js';
import { AbortError, UsageError } from '../errors.js';
import type { TerminateOptions, TerminateResult } from '../process/tree.js';
import { TmuxClient, sessionTarget } from './client.js';
import { configSpec, ensureOwnSession, launchContext, supervisorArgv, type Self } from './context.js';
import type { PaneInfo } from './format.js';
import { declaredPort, launchArgs, markPane, pipeLog, realLaunch, specHash, supervisorSession } from './launch.js';
import { startLogSection } from './log-files.js';
import { planStart, type StartPlan } from './plan.js';

export interface SessionOptions {
  self: Self;
  env: NodeJS.ProcessEnv;
  now?: number;
}

export interface StartReport {
  session: string;
  socket: string;
  plan: StartPlan;
}

/** A dead pane's pid is free for reuse by anyone: only what it left in its session is ours. */
function deadPids(panes: readonly PaneInfo[]): Set<number> {
  return new Set(panes.filter((p) => p.dead).map((p) => p.pid));
}

/**
 * What every process of the session inherits (see baseEnv), a window's with its name: the way
 * to find the ones that detached themselves from their pane's tree.
 */
function sessionMark(project: Project, window?: string): Record<string, string> {
  return { CHOIROS_TMUX_SOCKET: project.socket, CHOIROS_SESSION: project.config.session, ...(window === undefined ? {} : { CHOIROS_WINDOW: window }) };
}

/**
 * Ends the panes' trees together with the processes carrying the mark, then looks once more for
 * marked ones started meanwhile (a process that forks away when it gets SIGHUP).
 */
async function terminateMarked(project: Project, panes: readonly PaneInfo[], roots: readonly number[], window: string | undefined, options: TerminateOptions): Promise<TerminateResult> {
  const [{ listProcesses, terminateTrees }, { markedProcesses }] = await Promise.all([import('../process/tree.js'), import('../process/marked.js')]);
  const all = listProcesses();
  const live = new Set(panes.filter((p) => !p.dead).map((p) => p.pid));
  const servers = new Set(all.filter((p) => live.has(p.pid) && p.ppid > 1).map((p) => p.ppid));
  const query = { marker: sessionMark(project, window), servers };
  const first = await terminateTrees([...roots, ...markedProcesses(query, all)], options);
  const ended = new Set([...first.terminated, ...first.killed]);
  const late = markedProcesses(query).filter((pid) => !ended.has(pid));
  if (late.length === 0) return first;
  const second = await terminateTrees(late, options);
  return { terminated: [...first.terminated, ...second.terminated], killed: [...first.killed, ...second.killed] };
}

function ownPanes(project: Project, panes: readonly PaneInfo[]): PaneInfo[] {
  return panes.filter((p) => p.sessionName === project.config.session);
}

/**
 * Refuses to start windows whose port someone else already holds, naming the holder. The
 * /proc scan is loaded only when a window to start declares a port: most sessions declare none,
 * and `start` should not pay for it then.
 */
async function ensurePortsFree(project: Project, plan: StartPlan): Promise<void> {
  const toCheck = plan.windows.flatMap((planned) => {
    if (planned.action === 'keep' || planned.launch?.state === 'idle') return [];
    const index = project.config.windows.findIndex((w) => w.name === planned.name);
    const window = project.config.windows[index];
    const port = window === undefined ? undefined : declaredPort(window);
    return port === undefined ? [] : [{ name: planned.name, index, port }];
  });
  if (toCheck.length === 0) return;
  const { findPortHolder } = await import('../process/ports.js');
  const conflicts: string[] = [];
  for (const { name, index, port } of toCheck) {
    const holder = findPortHolder(port);
    if (holder === undefined) continue;
    const who = holder.pid === undefined ? 'another user’s process' : `pid ${holder.pid} (${holder.command ?? 'unknown command'})`;
    conflicts.push(`${name} (windows[${index}]): port ${port} is already in use by ${who}`);
  }
  if (conflicts.length > 0) {
    throw new AbortError(`Cannot start: ${conflicts.length === 1 ? 'a port is' : 'ports are'} taken.\n  ${conflicts.join('\n  ')}`, {
      hint: 'Stop the process holding the port, or change the window’s port in choiros.yaml. Nothing was started.',
    });
  }
}

/**
 * Creates the session, or repairs it: missing windows are created, dead ones respawned in place,
 * live ones left alone, all in one tmux round trip (plus one query before it).
 */
export async function startSession(project: Project, options: SessionOptions): Promise<StartReport> {
  const tmux = new TmuxClient(project.socket, options.env);
  const panes = await tmux.panes();
  ensureOwnSession(project, panes);
  const ctx = launchContext(project, options.self, options.env);
  const plan = planStart({
    windows: project.config.windows,
    panes,
    ctx,
    now: options.now ?? Date.now(),
    logStart: (window) => startLogSection(ctx.logFile(window)),
    supervisor: { argv: supervisorArgv(project, options.self), spec: configSpec(project, options.self) },
  });
  await ensurePortsFree(project, plan);
  if (plan.commands.length > 0) {
    mkdirSync(sessionLogDir(project.home, project.config.session), { recursive: true });
    await tmux.run(plan.commands, `starting session '${project.config.session}'`);
  }
  return { session: project.config.session, socket: project.socket, plan };
}

export interface StopReport {
  running: boolean;
  windows: number;
  terminated: number;
  killed: number;
}

function removeSocketFile(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // Already gone.
  }
}

/**
 * Ends the supervisor first (so nothing is restarted behind our back), then every window's
 * process tree and every process that detached itself from one (SIGTERM, then SIGKILL after
 * `graceMs`), then the sessions and, when nothing else lives on it, the private server.
 */
export async function stopSession(project: Project, options: { env: NodeJS.ProcessEnv; graceMs: number }): Promise<StopReport> {
  const tmux = new TmuxClient(project.socket, options.env);
  const panes = await tmux.panes();
  const session = project.config.session;
  const own = ownPanes(project, panes);
  const supervisor = panes.filter((p) => p.sessionName === supervisorSession(session));
  if (own.length === 0 && supervisor.length === 0) return { running: false, windows: 0, terminated: 0, killed: 0 };

  const { HANGUP, terminateTrees } = await import('../process/tree.js');
  await terminateTrees(supervisor.map((p) => p.pid), { graceMs: Math.min(options.graceMs, 2000), signals: HANGUP, exited: deadPids(supervisor) });
  const result = await terminateMarked(project, panes, own.map((p) => p.pid), undefined, { graceMs: options.graceMs, signals: HANGUP, exited: deadPids(own) });
  const others = panes.some((p) => p.sessionName !== session && p.sessionName !== supervisorSession(session));
  const commands = [
    ...(own.length > 0 ? [['kill-session', '-t', sessionTarget(session)]] : []),
    ...(supervisor.length > 0 ? [['kill-session', '-t', sessionTarget(supervisorSession(session))]] : []),
    ...(others ? [] : [['kill-server']]),
  ];
  const ended = await tmux.exec(commands);
  if (ended.failed && !/no server running|server exited/i.test(ended.stderr)) await tmux.run(commands, 'ending the session');
  // tmux leaves its socket file behind; the next start would ask a dead server first.
  if (!others) removeSocketFile(tmux.socketPath());
  return { running: true, windows: own.length, terminated: result.terminated.length, killed: result.killed.length };
}

export interface RestartReport {
  window: string;
  created: boolean;
  /** The session was not running: restarting one window started all of them. */
  sessionStarted: boolean;
  pid: number | undefined;
}

/**
 * Restarts one window in place: its old tree (and what detached from it) is ended first, then the
 * pane is respawned.
 */
export async function restartWindow(project: Project, name: string, options: SessionOptions & { graceMs: number }): Promise<RestartReport> {
  const window = project.config.windows.find((w) => w.name === name);
  if (window === undefined) {
    throw new UsageError(`There is no window '${name}'.`, { hint: `Windows: ${project.config.windows.map((w) => w.name).join(', ')}.` });
  }
  const tmux = new TmuxClient(project.socket, options.env);
  const panes = await tmux.panes();
  ensureOwnSession(project, panes);
  const pane = ownPanes(project, panes).find((p) => p.tag === name);
  if (pane === undefined) {
    const sessionStarted = ownPanes(project, panes).length === 0;
    const report = await startSession(project, options);
    if (report.plan.commands.length === 0) throw new AbortError(`Could not create window '${name}'.`);
    return { window: name, created: true, sessionStarted, pid: undefined };
  }
  const { HANGUP } = await import('../process/tree.js');
  await terminateMarked(project, panes, [pane.pid], name, { graceMs: options.graceMs, signals: HANGUP, exited: deadPids([pane]) });
  const ctx = launchContext(project, options.self, options.env);
  const launch = realLaunch(window, ctx);
  const marks = {
    window: name,
    state: launch.state,
    startedAt: options.now ?? Date.now(),
    restarts: pane.restarts + 1,
    logOffset: startLogSection(ctx.logFile(name)),
    spec: specHash(window, ctx),
    fresh: false,
  };
  mkdirSync(sessionLogDir(project.home, project.config.session), { recursive: true });
  await tmux.run(
    [['respawn-pane', '-k', '-t', pane.paneId, ...launchArgs(launch)], ...markPane(pane.paneId, marks), ...(window.log ? [pipeLog(pane.paneId, ctx.logFile(name))] : [])],
    `restarting window '${name}'`,
  );
  const after = (await tmux.panes()).find((p) => p.paneId === pane.paneId);
  return { window: name, created: false, sessionStarted: false, pid: after?.pid };
}
