import { basename } from 'node:path';
import type { Project } from '../config/load.js';
import { AbortError } from '../errors.js';
import { runInteractive } from '../process/interactive.js';
import { TmuxClient, sessionTarget } from './client.js';

/** `$TMUX` is `socket-path,server-pid,session-index`: the name of the server we are inside. */
export function enclosingSocket(env: NodeJS.ProcessEnv): string | undefined {
  const tmux = env.TMUX;
  if (tmux === undefined || tmux === '') return undefined;
  return basename(tmux.split(',')[0] ?? '');
}

/**
 * Attaches the terminal to the session. Inside a pane of this same server it switches the client
 * instead (attaching would nest); inside some other tmux it attaches nested, since a client
 * cannot switch between servers.
 */
export async function attachSession(project: Project, env: NodeJS.ProcessEnv): Promise<number> {
  const tmux = new TmuxClient(project.socket, env);
  const session = project.config.session;
  const panes = await tmux.panes();
  if (!panes.some((p) => p.sessionName === session)) {
    throw new AbortError(`The session '${session}' is not running.`, { nextSteps: ['choiros start --attach'] });
  }
  if (enclosingSocket(env) === project.socket) {
    // The client to switch is the one showing the pane we run in; without TMUX and TMUX_PANE
    // tmux would pick the most recently active client (the supervisor's control client, say).
    await tmux.run([['switch-client', '-t', sessionTarget(session)]], `switching to session '${session}'`, { TMUX: env.TMUX, TMUX_PANE: env.TMUX_PANE });
    return 0;
  }
  return runInteractive('tmux', [...tmux.baseArgs(), 'attach-session', '-t', sessionTarget(session)], tmux.env);
}
