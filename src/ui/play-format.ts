import { runStatusText } from '../ledger/model.js';
import type { Health, PlayReport } from '../play/model.js';
import type { ShownStatus } from '../play/shown-status.js';

/** `2026-11-22 10:30:00 UTC`. */
export function formatClock(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `45m 23s`, `1h 02m`, `12s` — the dashboard's durations. */
export function formatSpan(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${String(hours % 24).padStart(2, '0')}h`;
}

/** `30m`, `12m 30s`, `1h`: formatSpan without the zero seconds or minutes of a round span. */
export function roundSpan(ms: number): string {
  return formatSpan(ms).replace(/ 00[sm]$/, '');
}

/** `limit 30m · 12m left` for a stage under way with a `timeout:` (healer-play-orchestration.md's time_remaining()). */
export function limitLeft(stage: { timeoutMs: number | null; remainingMs: number | null }): string | undefined {
  if (stage.timeoutMs === null || stage.remainingMs === null) return undefined;
  return `limit ${roundSpan(stage.timeoutMs)} · ${stage.remainingMs === 0 ? 'past it' : `${roundSpan(stage.remainingMs)} left`}`;
}

/** `~25 minutes`, `~2 hours`, `under a minute`. */
export function formatEta(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 120) return `~${minutes} minute${minutes === 1 ? '' : 's'}`;
  return `~${Math.round(minutes / 60)} hours`;
}

/** `implementation` → `Implementation`, `atlas-integration` → `Atlas Integration`. */
export function stageTitle(name: string): string {
  return name
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

export { shownStatus, type ShownStatus } from '../play/shown-status.js';

export const STATUS_WORD: Record<ShownStatus, string> = { pending: 'Pending', active: 'Active', waiting: 'Waiting', done: 'Done', failed: 'Failed', skipped: 'Skipped', stopped: 'Stopped' };
/** One column wide in every terminal (no emoji). */
export const STATUS_MARK: Record<ShownStatus, string> = { pending: '·', active: '▶', waiting: '?', done: '✓', failed: '✗', skipped: '»', stopped: '■' };

export type Tone = 'good' | 'warn' | 'bad' | 'muted' | 'active';

export const STATUS_TONE: Record<ShownStatus, Tone | undefined> = { pending: 'muted', active: 'active', waiting: 'warn', done: 'good', failed: 'bad', skipped: 'muted', stopped: 'bad' };

export const HEALTH_TONE: Record<Health, Tone> = { 'on track': 'good', 'at risk': 'warn', 'off track': 'bad' };

export function progressBar(fraction: number, width: number): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export function percent(fraction: number): string {
  return `${Math.floor(fraction * 100)}%`;
}

/** `Branch: main`, or `PR: #42` when the branch names a pull request (`pr/42`, `pull/42`, `#42`). */
export function branchLine(branch: string | null): [string, string] | undefined {
  if (branch === null || branch === '') return undefined;
  const pr = /^(?:#|pr[/-]|pull[/-])(\d+)$/i.exec(branch);
  return pr === null ? ['Branch', branch] : ['PR', `#${pr[1] ?? ''}`];
}

export function estimatedCompletion(report: PlayReport): string {
  if (report.finishedAt !== null) return report.runStatus === 'succeeded' ? 'finished' : runStatusText(report.runStatus);
  if (report.eta === null) return 'unknown (no earlier runs of this program)';
  return `${formatEta(report.eta.remainingMs)}${report.eta.basis === 'partial' ? ' (partly estimated)' : ''}`;
}
