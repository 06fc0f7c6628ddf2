import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { sessionTarget, type TmuxClient } from './client.js';
import { paneFormat, parsePanes, type PaneInfo } from './format.js';

interface Pending {
  resolve: (lines: string[]) => void;
  reject: (error: Error) => void;
}

/**
 * A tmux control-mode client (`tmux -C`) kept open for frequent queries: a live view or the
 * supervisor asks for the panes once or twice a second, and forking a process for each costs
 * more CPU than everything else they do. It attaches to a session with `no-output` (no pane
 * output is streamed) and `ignore-size` (it never resizes windows). Replies come as
 * `%begin … %end` blocks in the order the commands were sent; blocks whose flags are 0 answer
 * tmux's own commands (the attach) and are skipped.
 */
export class TmuxControl {
  private readonly pending: Pending[] = [];
  private block: string[] | undefined;
  private closed = false;
  private lastPanes: { text: string; panes: PaneInfo[] } | undefined;
  /** Settles with tmux's answer to the attach itself: the first block with flags 0. */
  private readonly attached: Promise<void>;
  private settleAttach: { resolve: () => void; reject: (error: Error) => void } | undefined;

  private constructor(private readonly child: ChildProcess) {
    this.attached = new Promise((resolve, reject) => (this.settleAttach = { resolve, reject }));
    this.attached.catch(() => {
      // Observed by connect; a failure here must not be an unhandled rejection.
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => this.onLine(line));
    child.on('exit', () => this.fail(new Error('tmux control client exited')));
    // A client that exited (no such session, server gone) makes our next write fail with EPIPE.
    child.stdin?.on('error', (error) => this.fail(error));
    child.on('error', (error) => this.fail(error));
  }

  /** Attaches a control client to `session`; undefined when tmux refuses (no such session). */
  static async connect(client: TmuxClient, session: string): Promise<TmuxControl | undefined> {
    const child = spawn('tmux', [...client.baseArgs(), '-C', 'attach-session', '-t', sessionTarget(session), '-f', 'no-output,ignore-size'], {
      env: client.env,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const control = new TmuxControl(child);
    try {
      // Wait for tmux's answer to the attach: a command sent earlier could be answered first,
      // before an attach to a missing session fails.
      await control.attached;
      return control;
    } catch {
      control.close();
      return undefined;
    }
  }

  get alive(): boolean {
    return !this.closed;
  }

  /** Runs one tmux command line (already quoted for tmux's parser) and resolves with its output lines. */
  command(line: string): Promise<string[]> {
    if (this.closed) return Promise.reject(new Error('tmux control client is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.stdin?.write(`${line}\n`);
    });
  }

  /**
   * Every pane on the server, like `TmuxClient.panes()`, without a new process. An answer equal
   * to the last one (what an idle session gives, query after query) returns the last list
   * instead of parsing it again; callers only read it.
   */
  async panes(): Promise<PaneInfo[]> {
    const text = (await this.command(`list-panes -a -F '${paneFormat()}'`)).map((l) => `${l}\n`).join('');
    if (this.lastPanes?.text !== text) this.lastPanes = { text, panes: parsePanes(text) };
    return this.lastPanes.panes;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.child.stdin?.end();
    this.child.kill();
  }

  private onLine(line: string): void {
    if (this.block !== undefined) {
      const end = /^%(end|error) \d+ \d+ (\d+)$/.exec(line);
      if (end === null) {
        this.block.push(line);
        return;
      }
      const lines = this.block;
      this.block = undefined;
      // Flags 1: a command this client sent; 0: tmux's own (the attach), whose failure ends us.
      if (end[2] !== '1') {
        if (end[1] === 'error') this.fail(new Error(lines.join('\n') || 'tmux refused to attach'));
        else this.settleAttach?.resolve();
        return;
      }
      const waiter = this.pending.shift();
      if (end[1] === 'end') waiter?.resolve(lines);
      else waiter?.reject(new Error(lines.join('\n') || 'tmux command failed'));
      return;
    }
    if (line.startsWith('%begin ')) this.block = [];
    else if (line.startsWith('%exit')) this.fail(new Error('tmux control client exited'));
  }

  private fail(error: Error): void {
    this.closed = true;
    this.settleAttach?.reject(error);
    for (const waiter of this.pending.splice(0)) waiter.reject(error);
  }
}

/**
 * Panes from a control client while one can be attached (to `session`), else from a spawned
 * `list-panes`; reattaches lazily after the session (re)appears.
 */
export function controlledPanes(client: TmuxClient, session: string): { panes: () => Promise<PaneInfo[]>; close: () => void } {
  let control: TmuxControl | undefined;
  let attempt: Promise<TmuxControl | undefined> | undefined;
  return {
    panes: async () => {
      if (control?.alive === true) {
        try {
          return await control.panes();
        } catch {
          control = undefined;
        }
      }
      const panes = await client.panes();
      if (panes.some((p) => p.sessionName === session) && attempt === undefined) {
        attempt = TmuxControl.connect(client, session).then((c) => {
          control = c;
          attempt = undefined;
          return c;
        });
      }
      return panes;
    },
    close: () => control?.close(),
  };
}
