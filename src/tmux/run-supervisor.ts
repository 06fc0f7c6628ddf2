import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Output } from '../cli/output.js';
import type { Project } from '../config/load.js';
import { sessionLogDir } from '../config/paths.js';
import { formatDuration } from '../config/units.js';
import { HANGUP, terminateTrees } from '../process/tree.js';
import { TmuxClient } from './client.js';
import { controlledPanes } from './control.js';
import { launchContext, type Self } from './context.js';
import type { SupervisorEvent } from './decide.js';
import { startLogSection, rotateIfLarge } from './log-files.js';
import { probeOnce } from './probes.js';
import { realLaunch, supervisorSession } from './launch.js';
import { Supervisor } from './supervisor.js';
import { sleep } from '../util/sleep.js';

export function describeEvent(event: SupervisorEvent): string {
  switch (event.type) {
    case 'started':
      return `${event.window}: started`;
    case 'ready':
      return `${event.window}: ready after ${formatDuration(event.afterMs)}`;
    case 'unready':
      return `${event.window}: still not ready after ${formatDuration(event.afterMs)}`;
    case 'exited': {
      const how = event.signal !== null ? `killed by signal ${event.signal}` : `exited with code ${String(event.exitCode)}`;
      return `${event.window}: ${how}${event.uptimeMs === null ? '' : ` after ${formatDuration(event.uptimeMs)}`}`;
    }
    case 'restart-scheduled':
      return `${event.window}: restart ${event.attempt} in ${formatDuration(event.delayMs)}`;
    case 'restarted':
      return `${event.window}: restarted (${event.restarts} so far)`;
    case 'gave-up':
      return `${event.window}: gave up after ${event.failures - 1} restarts`;
  }
}

export interface RunSupervisorOptions {
  self: Self;
  env: NodeJS.ProcessEnv;
  out: Output;
  signal: AbortSignal;
}

/** The supervisor with real ports: tmux, probes, /proc, the clock, and an events file. */
export async function runSupervisor(project: Project, options: RunSupervisorOptions): Promise<void> {
  const tmux = new TmuxClient(project.socket, options.env);
  const ctx = launchContext(project, options.self, options.env);
  const logDir = sessionLogDir(project.home, ctx.session);
  mkdirSync(logDir, { recursive: true });
  const eventsFile = join(logDir, 'supervisor.jsonl');
  const windows = project.config.windows;
  // Two queries a second all night: through one control client, not a tmux process each.
  const source = controlledPanes(tmux, supervisorSession(ctx.session));
  const supervisor = new Supervisor(windows, ctx, {
    now: () => Date.now(),
    panes: source.panes,
    apply: async (commands) => void (await tmux.run(commands, 'updating windows')),
    probe: (window, pane) => {
      const launch = realLaunch(window, ctx);
      return window.ready === undefined
        ? Promise.resolve(true)
        : probeOnce({ probe: window.ready, cwd: launch.cwd, env: { ...options.env, ...launch.env }, logFile: window.log ? ctx.logFile(window.name) : undefined, logOffset: pane.logOffset });
    },
    reap: async (pid) => void (await terminateTrees([pid], { graceMs: 2000, signals: HANGUP, exited: new Set([pid]) })),
    logStart: (window) => startLogSection(ctx.logFile(window)),
    record: (event) => {
      options.out.line(`${new Date().toTimeString().slice(0, 8)} ${describeEvent(event)}`);
      appendFileSync(eventsFile, `${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
    },
    sleep,
    housekeeping: () => {
      for (const w of windows) if (w.log) rotateIfLarge(ctx.logFile(w.name), project.config.logs.max_size, project.config.logs.keep);
    },
  });
  options.out.line(`Supervising '${ctx.session}' (${windows.length} windows) on tmux -L ${project.socket}.`);
  try {
    await supervisor.run(options.signal, (error) => options.out.note(`supervisor: ${error instanceof Error ? error.message : String(error)}`));
  } finally {
    source.close();
  }
}
