import { formatAge } from '../config/units.js';
import type { ProjectStatus } from '../cli/views/project-status.js';
import type { DisplayState, SessionStatus, WindowStatus } from '../tmux/status.js';

export const STATUS_HEADER = ['WINDOW', 'STATE', 'READY', 'PID', 'RESTARTS', 'UPTIME', 'LAST LOG LINE'] as const;

export type Tone = 'good' | 'warn' | 'bad' | 'muted';

export function toneOf(state: DisplayState): Tone {
  switch (state) {
    case 'ready':
      return 'good';
    case 'starting':
    case 'waiting':
    case 'backoff':
    case 'unhealthy':
      return 'warn';
    case 'failed':
    case 'missing':
      return 'bad';
    case 'exited':
    case 'idle':
    case 'stopped':
      return 'muted';
  }
}

function exitText(w: WindowStatus): string {
  if (w.exitSignal !== null) return ` (signal ${w.exitSignal})`;
  if (w.exitCode !== null && !w.alive) return ` (${w.exitCode})`;
  return '';
}

/** One table row per window: the same cells in the Ink view and in plain output. */
export function statusRow(w: WindowStatus): string[] {
  return [
    w.name,
    `${w.state}${exitText(w)}`,
    w.alive ? (w.ready ? 'yes' : 'no') : '-',
    w.pid === null ? '-' : String(w.pid),
    String(w.restarts),
    w.uptimeMs === null ? '-' : formatAge(w.uptimeMs),
    w.note ?? w.lastLine ?? '',
  ];
}

export function statusTitle(status: SessionStatus): string {
  if (!status.running) return `Session '${status.session}' is not running (tmux -L ${status.socket}).`;
  const supervisor = status.supervisor.alive ? 'supervised' : 'supervisor NOT running — run `choiros start` to repair';
  const ready = status.windows.filter((w) => w.ready).length;
  return `Session '${status.session}' (tmux -L ${status.socket}) · ${ready}/${status.windows.length} ready · ${supervisor}`;
}

/** `git main · checkpoint-20261122-101500 (good, 5m ago) · run run-… running`, or undefined. */
export function projectLine(status: SessionStatus & Partial<Pick<ProjectStatus, 'git' | 'run'>>, now: number): string | undefined {
  const parts: string[] = [];
  if (status.git) {
    parts.push(`git ${status.git.branch ?? '(detached)'}`);
    const cp = status.git.lastCheckpoint;
    parts.push(cp === null ? 'no checkpoint yet' : `${cp.name} (${cp.verdict}, ${formatAge(now - Date.parse(cp.date))} ago)`);
  }
  if (status.run) parts.push(`run ${status.run.id} ${status.run.status}`);
  return parts.length === 0 ? undefined : parts.join(' · ');
}

/** What the table shows, as one string: a live view redraws only when this changes. */
export function statusFingerprint(status: SessionStatus, now = Date.now()): string {
  return [statusTitle(status), projectLine(status, now) ?? '', ...status.windows.map((w) => statusRow(w).join('\u001f'))].join('\n');
}
