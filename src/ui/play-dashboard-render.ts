import { createElement } from 'react';
import { render } from 'ink';
import type { Output } from '../cli/output.js';
import { PlayDashboardScreen, type DashboardSnapshot } from './play-dashboard-screen.js';
import { sizedStdout } from './sized-stdout.js';

export interface DashboardRenderOptions {
  load: () => Promise<DashboardSnapshot>;
  intervalMs: number;
  out: Output;
  stdin: NodeJS.ReadStream;
  signal: AbortSignal;
}

/** At most 4 frames a second: agent output arriving in bursts cannot cause a render storm. */
export const DASHBOARD_MAX_FPS = 4;

export async function renderDashboard(options: DashboardRenderOptions): Promise<void> {
  const app = render(createElement(PlayDashboardScreen, { load: options.load, intervalMs: options.intervalMs }), {
    stdout: sizedStdout(options.out),
    stdin: options.stdin,
    exitOnCtrlC: true,
    patchConsole: false,
    maxFps: DASHBOARD_MAX_FPS,
  });
  const onAbort = () => app.unmount();
  options.signal.addEventListener('abort', onAbort, { once: true });
  await app.waitUntilExit();
  options.signal.removeEventListener('abort', onAbort);
}
