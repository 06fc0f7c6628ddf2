import { createHash } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import type { WindowConfig } from '../config/schema.js';
import { PaneOption, type WindowState } from './format.js';
import type { TmuxCommand } from './client.js';
import { formatLiteral, shellQuote } from './quote.js';

/** Everything needed to turn a window's config into the argv, env and cwd of its pane. */
export interface LaunchContext {
  root: string;
  session: string;
  socket: string;
  home: string;
  configFile: string | undefined;
  /** How to run choiros itself: `choiros …` commands in choiros.yaml run this exact build. */
  self: { node: string; script: string };
  /** The user's shell, for windows without a command. */
  shell: string;
  /** Per window: env_file values merged with `env` (read by the caller). */
  windowEnv: ReadonlyMap<string, Readonly<Record<string, string>>>;
  logFile(window: string): string;
}

export interface Launch {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  state: WindowState;
}

export function supervisorSession(session: string): string {
  return `${session}-supervisor`;
}

function selfCommand(ctx: LaunchContext): string {
  return `${shellQuote(ctx.self.node)} ${shellQuote(ctx.self.script)}`;
}

/** `choiros watch` in choiros.yaml runs this very choiros, whatever PATH says. */
export function resolveCommand(command: string, ctx: LaunchContext): string {
  return /^choiros(\s|$)/.test(command) ? `${selfCommand(ctx)}${command.slice('choiros'.length)}` : command;
}

export function baseEnv(ctx: LaunchContext): Record<string, string> {
  return {
    CHOIROS_SESSION: ctx.session,
    CHOIROS_TMUX_SOCKET: ctx.socket,
    CHOIROS_HOME: ctx.home,
    CHOIROS_PROJECT_ROOT: ctx.root,
    ...(ctx.configFile === undefined ? {} : { CHOIROS_CONFIG: ctx.configFile }),
  };
}

function windowCwd(window: WindowConfig, ctx: LaunchContext): string {
  if (window.cwd === undefined) return ctx.root;
  return isAbsolute(window.cwd) ? window.cwd : join(ctx.root, window.cwd);
}

/** The real process of a window: its command through /bin/sh -c, or the user's shell. */
export function realLaunch(window: WindowConfig, ctx: LaunchContext): Launch {
  const argv = window.command === undefined ? [ctx.shell] : ['/bin/sh', '-c', resolveCommand(window.command, ctx)];
  const env = { ...baseEnv(ctx), CHOIROS_WINDOW: window.name, ...ctx.windowEnv.get(window.name) };
  return { argv, env, cwd: windowCwd(window, ctx), state: 'starting' };
}

/** A stand-in process while a window waits for its dependencies; the supervisor replaces it. */
export function waitingLaunch(window: WindowConfig, ctx: LaunchContext): Launch {
  const message = `${window.name}: waiting for ${window.depends_on.join(', ')} to be ready…`;
  return {
    argv: ['/bin/sh', '-c', 'printf "%s\\n" "$1"; exec sleep 2147483647', 'sh', message],
    env: { ...baseEnv(ctx), CHOIROS_WINDOW: window.name },
    cwd: windowCwd(window, ctx),
    state: 'waiting',
  };
}

/** A window that is not auto-started opens a shell and says how to start it. */
export function idleLaunch(window: WindowConfig, ctx: LaunchContext): Launch {
  const message =
    window.command === undefined
      ? `${window.name}: ready for your commands.`
      : `${window.name} is not started automatically. Run \`choiros restart ${window.name}\` to run: ${window.command}`;
  return {
    argv: ['/bin/sh', '-c', 'printf "%s\\n" "$1"; exec "$2"', 'sh', message, ctx.shell],
    env: { ...baseEnv(ctx), CHOIROS_WINDOW: window.name },
    cwd: windowCwd(window, ctx),
    state: 'idle',
  };
}

/** A short hash of what a window runs, to notice a changed config on repair. */
export function specHash(window: WindowConfig, ctx: LaunchContext): string {
  const real = realLaunch(window, ctx);
  return createHash('sha1').update(JSON.stringify([real.argv, ctx.windowEnv.get(window.name) ?? {}, real.cwd])).digest('hex').slice(0, 12);
}

/** `-c DIR -e K=V … -- argv`: the part shared by new-session, new-window and respawn-pane. */
export function launchArgs(launch: Launch): string[] {
  const env = Object.entries(launch.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  return ['-c', formatLiteral(launch.cwd), ...env, '--', ...launch.argv];
}

export interface PaneMarks {
  window: string;
  state: WindowState;
  startedAt: number;
  restarts: number;
  logOffset: number;
  spec: string;
  /** A new pane has no options yet: the ones that would be reset to their defaults are skipped. */
  fresh: boolean;
}

/** The options that tag a freshly (re)started pane, as one set-option per value. */
export function markPane(target: string, marks: PaneMarks): TmuxCommand[] {
  const set = (option: string, value: string | number): TmuxCommand => ['set-option', '-p', '-t', target, option, String(value)];
  const unset = (option: string): TmuxCommand => ['set-option', '-p', '-u', '-t', target, option];
  const commands = [set(PaneOption.window, marks.window), set(PaneOption.state, marks.state), set(PaneOption.startedAt, marks.startedAt), set(PaneOption.spec, marks.spec)];
  if (!marks.fresh || marks.restarts !== 0) commands.push(set(PaneOption.restarts, marks.restarts));
  if (!marks.fresh || marks.logOffset !== 0) commands.push(set(PaneOption.logOffset, marks.logOffset));
  if (!marks.fresh) commands.push(set(PaneOption.ready, 0), set(PaneOption.failures, 0), unset(PaneOption.nextAt), unset(PaneOption.exit), unset(PaneOption.note));
  return commands;
}

/**
 * Appends the pane's output to its log file. Issued after every (re)spawn: respawning a dead
 * pane closes its pipe, and without `-o` an open pipe is replaced rather than kept.
 */
export function pipeLog(target: string, file: string): TmuxCommand {
  return ['pipe-pane', '-t', target, formatLiteral(`exec cat >> ${shellQuote(file)}`)];
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '0.0.0.0', '[::1]', '[::]', '::1']);

/** The port a window listens on: `port`, else its tcp probe, else a local http probe's port. */
export function declaredPort(window: WindowConfig): number | undefined {
  if (window.port !== undefined) return window.port;
  const tcp = window.ready?.tcp;
  if (typeof tcp === 'number') return tcp;
  if (typeof tcp === 'string') {
    const [host, port] = [tcp.slice(0, tcp.lastIndexOf(':')), tcp.slice(tcp.lastIndexOf(':') + 1)];
    return LOCAL_HOSTS.has(host) ? Number(port) : undefined;
  }
  if (window.ready?.http !== undefined) {
    const url = new URL(window.ready.http);
    if (!LOCAL_HOSTS.has(url.hostname)) return undefined;
    return url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  }
  return undefined;
}
