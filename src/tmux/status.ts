import type { Project } from '../config/load.js';
import { windowLogFile } from '../config/paths.js';
import { TmuxClient } from './client.js';
import type { PaneInfo, WindowState } from './format.js';
import { supervisorSession } from './launch.js';
import { lastLine } from './log-files.js';

export type DisplayState = WindowState | 'missing' | 'stopped';

export interface WindowStatus {
  name: string;
  command: string | null;
  state: DisplayState;
  /** The pane's process id while its real command runs. */
  pid: number | null;
  alive: boolean;
  ready: boolean;
  restarts: number;
  exitCode: number | null;
  exitSignal: number | null;
  /** Milliseconds since the current process started, while it runs. */
  uptimeMs: number | null;
  log: string | null;
  lastLine: string | null;
  note: string | null;
}

export interface SessionStatus {
  session: string;
  socket: string;
  running: boolean;
  supervisor: { alive: boolean; pid: number | null };
  windows: WindowStatus[];
}

function displayState(pane: PaneInfo | undefined, running: boolean): DisplayState {
  if (pane === undefined) return running ? 'missing' : 'stopped';
  if (pane.dead && (pane.state === undefined || pane.state === 'starting' || pane.state === 'ready' || pane.state === 'unhealthy')) return 'exited';
  return pane.state ?? 'starting';
}

/** Each project's log file paths, worked out once rather than on every refresh of a live view. */
const logFiles = new WeakMap<Project, Map<string, string>>();

function logFileOf(project: Project, window: string): string {
  let files = logFiles.get(project);
  if (files === undefined) logFiles.set(project, (files = new Map()));
  let file = files.get(window);
  if (file === undefined) files.set(window, (file = windowLogFile(project.home, project.config.session, window)));
  return file;
}

/** Pure: the status of every configured window from one `list-panes` answer. */
export function buildStatus(project: Project, panes: readonly PaneInfo[], now: number, readLastLine: (file: string) => string | undefined): SessionStatus {
  const session = project.config.session;
  const own = panes.filter((p) => p.sessionName === session);
  const supervisor = panes.find((p) => p.sessionName === supervisorSession(session));
  const running = own.length > 0;
  const windows = project.config.windows.map((window): WindowStatus => {
    const pane = own.find((p) => p.tag === window.name);
    const state = displayState(pane, running);
    const runsReal = pane !== undefined && !pane.dead && state !== 'waiting' && state !== 'idle';
    const log = window.log ? logFileOf(project, window.name) : null;
    return {
      name: window.name,
      command: window.command ?? null,
      state,
      pid: runsReal ? pane.pid : null,
      alive: runsReal,
      ready: runsReal && pane.ready,
      restarts: pane?.restarts ?? 0,
      exitCode: pane?.dead === true ? (pane.deadStatus ?? null) : exitField(pane?.exit, 'code'),
      exitSignal: pane?.dead === true ? (pane.deadSignal ?? null) : exitField(pane?.exit, 'signal'),
      uptimeMs: runsReal && pane.startedAt !== undefined ? Math.max(0, now - pane.startedAt) : null,
      log,
      lastLine: log === null ? null : (readLastLine(log) ?? null),
      note: pane?.note ? pane.note : null,
    };
  });
  return {
    session,
    socket: project.socket,
    running,
    supervisor: { alive: supervisor !== undefined && !supervisor.dead, pid: supervisor !== undefined && !supervisor.dead ? supervisor.pid : null },
    windows,
  };
}

/** `@choiros_exit` holds the last exit as `code:N` or `signal:N`. */
function exitField(exit: string | undefined, kind: 'code' | 'signal'): number | null {
  const match = exit === undefined ? null : /^(code|signal):(\d+)$/.exec(exit);
  return match !== null && match[1] === kind ? Number(match[2]) : null;
}

/** One tmux query (through `panes`, when a caller keeps a control client) and a tail read per log file. */
export async function sessionStatus(
  project: Project,
  env: NodeJS.ProcessEnv,
  panes: () => Promise<PaneInfo[]> = () => new TmuxClient(project.socket, env).panes(),
  readLastLine: (file: string) => string | undefined = lastLine,
): Promise<SessionStatus> {
  return buildStatus(project, await panes(), Date.now(), readLastLine);
}
