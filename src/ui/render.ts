import { createElement } from 'react';
import { render } from 'ink';
import type { Output } from '../cli/output.js';
import type { ProjectStatus } from '../cli/views/project-status.js';
import type { SessionStatus } from '../tmux/status.js';
import { StatusScreen } from './status-screen.js';
import { sizedStdout } from './sized-stdout.js';

export interface StatusScreenOptions {
  load: () => Promise<SessionStatus | ProjectStatus>;
  intervalMs: number | undefined;
  out: Output;
  stdin: NodeJS.ReadStream;
  signal: AbortSignal;
}

/** Mounts the status screen on the terminal and resolves when it exits (q, Ctrl-C, or one frame). */
export async function renderStatusScreen(options: StatusScreenOptions): Promise<void> {
  const app = render(createElement(StatusScreen, { load: options.load, intervalMs: options.intervalMs, columns: options.out.columns }), {
    stdout: sizedStdout(options.out),
    stdin: options.stdin,
    exitOnCtrlC: true,
    patchConsole: false,
    maxFps: 10,
  });
  const onAbort = () => app.unmount();
  options.signal.addEventListener('abort', onAbort, { once: true });
  await app.waitUntilExit();
  options.signal.removeEventListener('abort', onAbort);
}
