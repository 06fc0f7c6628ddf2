import { describeDeviation } from '../play/deviations.js';
import type { PlayReport } from '../play/model.js';
import { formatClock, formatSpan, STATUS_MARK, type Tone } from './play-format.js';

export interface LogItem {
  key: string;
  text: string;
  tone: Tone;
}

/**
 * What has finished, as an append-only list for Ink's <Static>: each ended stage and each
 * deviation once, in the order they were first seen. Static prints an item once and never
 * again, so the list only grows.
 */
export class DashboardLog {
  readonly items: LogItem[] = [];
  private readonly seen = new Set<string>();

  update(report: PlayReport): LogItem[] {
    for (const stage of report.stages) {
      if (stage.finishedAt === null || (stage.status !== 'done' && stage.status !== 'failed' && stage.status !== 'skipped')) continue;
      const took = stage.durationMs === null ? '' : ` in ${formatSpan(stage.durationMs)}`;
      this.add(`stage:${stage.name}:${stage.finishedAt}`, `${formatClock(stage.finishedAt).slice(11, 19)} ${STATUS_MARK[stage.status]} ${stage.name} ${stage.status}${took}`, stage.status === 'failed' ? 'bad' : 'good');
    }
    for (const d of report.deviations) this.add(`deviation:${d.kind}:${d.stage ?? ''}:${d.taskId ?? ''}`, `! ${describeDeviation(d)}`, d.open ? 'bad' : 'warn');
    return this.items;
  }

  private add(key: string, text: string, tone: Tone): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push({ key, text, tone });
  }
}
