import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ExternalError } from '../errors.js';
import { run, type ProcessResult } from '../process/run.js';
import { paneFormat, parsePanes, type PaneInfo } from './format.js';
import { tmuxSocketPath } from './socket-path.js';
import { tmuxArg } from './quote.js';

/** One tmux command as argv, e.g. `['new-window', '-d', '-t', '=app:2', …]`. */
export type TmuxCommand = readonly string[];

/** choiros' own tmux settings, shipped with the package. */
export const TMUX_CONF = fileURLToPath(new URL('../../share/tmux.conf', import.meta.url));

/**
 * The only way choiros talks to tmux. Every call names the private server (`-L socket`) and
 * choiros' settings (`-f`), so the user's default server and ~/.tmux.conf are never touched, and
 * a list of commands goes to tmux in one invocation (one round trip).
 */
export class TmuxClient {
  readonly socket: string;
  readonly env: NodeJS.ProcessEnv;

  constructor(socket: string, env: NodeJS.ProcessEnv = process.env) {
    this.socket = socket;
    // A TMUX variable (we may be running inside the user's tmux) must not redirect the client.
    const { TMUX: _tmux, TMUX_PANE: _pane, ...rest } = env;
    this.env = rest;
  }

  /** The argv prefix for this server, for commands that hand the terminal to tmux (attach). */
  baseArgs(): string[] {
    return ['-L', this.socket, '-f', TMUX_CONF];
  }

  /**
   * Runs commands in one tmux invocation; resolves with the raw result, never throws. `env` adds
   * variables for this call only (switch-client needs TMUX_PANE to know whose client to switch).
   */
  exec(commands: readonly TmuxCommand[], env: NodeJS.ProcessEnv = {}): Promise<ProcessResult> {
    const argv = [...this.baseArgs()];
    commands.forEach((command, i) => {
      if (i > 0) argv.push(';');
      argv.push(...command.map(tmuxArg));
    });
    return run('tmux', argv, { env: { ...this.env, ...env } });
  }

  /** Like exec, but a failure is an ExternalError naming what we were doing. */
  async run(commands: readonly TmuxCommand[], doing: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
    const result = await this.exec(commands, env);
    if (result.failed) throw tmuxFailure(result, doing);
    return result.stdout;
  }

  /** Where tmux puts this server's socket (`tmux -L`): `$TMUX_TMPDIR/tmux-UID/NAME`. */
  socketPath(): string {
    return tmuxSocketPath(this.socket, this.env);
  }

  /** Every pane on this server, or an empty list when no server is running. */
  async panes(): Promise<PaneInfo[]> {
    // No socket file, no server: skip a tmux round trip on the way to a fresh start.
    if (!existsSync(this.socketPath())) return [];
    const result = await this.exec([['list-panes', '-a', '-F', paneFormat()]]);
    if (result.failed) {
      if (isNoServer(result)) return [];
      throw tmuxFailure(result, 'listing panes');
    }
    return parsePanes(result.stdout);
  }
}

function tmuxFailure(result: ProcessResult, doing: string): ExternalError {
  const failure = { command: result.command, exitCode: result.exitCode, signal: result.signal, stderr: result.spawnError ?? result.stderr };
  const options = result.spawnError === undefined ? {} : { hint: 'Install tmux (3.2 or newer) and make sure it is on PATH.' };
  return new ExternalError(`tmux failed while ${doing}`, failure, options);
}

/** tmux answers this way when the private server is not running (or its socket is stale). */
export function isNoServer(result: Pick<ProcessResult, 'stderr' | 'spawnError'>): boolean {
  return result.spawnError === undefined && /no server running|error connecting to|failed to connect to server/i.test(result.stderr);
}

/**
 * Targets by exact name: `=name:` (a bare `=name` is read as a pane target by some commands,
 * such as set-option, and fails).
 */
export function sessionTarget(session: string): string {
  return `=${session}:`;
}

export function windowTarget(session: string, index: number): string {
  return `=${session}:${index}`;
}

export function firstPaneTarget(session: string, index: number): string {
  return `=${session}:${index}.0`;
}
