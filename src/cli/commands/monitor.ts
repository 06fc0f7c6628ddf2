import { parseDuration } from '../../config/units.js';
import { UsageError } from '../../errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { PlayFeed } from '../../play/feed.js';
import type { MonitorModel } from '../../ui/monitor-model.js';
import type { CommandSpec } from '../command.js';
import { openLedger, projectRedactor, withSecretsRedacted } from './ledger-access.js';
import { artifactChecker } from './play-load.js';

/** Reads what the monitor shows; the focused run is the newest still going, else the newest. */
async function monitorLoader(ledger: Ledger, root: string): Promise<() => Promise<MonitorModel>> {
  const [{ activeRuns, lastEvent, ledgerPlaySource }, { PlayFeed }, { monitorModel }, { HEALTH_STREAM }] = await Promise.all([
    import('../../ledger/play-queries.js'),
    import('../../play/feed.js'),
    import('../../ui/monitor-model.js'),
    import('../../health/record.js'),
  ]);
  const source = ledgerPlaySource(ledger);
  const artifactExists = artifactChecker(root);
  let feed: PlayFeed | undefined;
  return async () => {
    const runs = ledger.pageRuns(12).items;
    const focus = activeRuns(ledger)[0] ?? runs[0];
    if (focus !== undefined && feed?.runId !== focus.id) feed = new PlayFeed(source, focus.id);
    const seen = feed?.state.lastSeq ?? 0;
    feed?.refresh();
    const events = feed === undefined ? [] : ledger.events({ runId: feed.runId, afterSeq: seen, limit: 200 });
    const health = lastEvent(ledger, HEALTH_STREAM, 'health')?.event;
    return monitorModel({
      runs,
      report: feed === undefined ? null : feed.report({ now: Date.now(), artifactExists }),
      tasks: feed === undefined ? [] : ledger.tasksOfRun(feed.runId).filter((t) => t.finishedAt !== null),
      health: health?.type === 'health' ? { score: health.score, status: health.status } : null,
      events,
      now: Date.now(),
    });
  };
}

export const monitor: CommandSpec = withSecretsRedacted({
  name: 'monitor',
  describe: 'a full-screen wall display: health gauge, stage durations, iterations, runs and live events (q quits)',
  options: { interval: { type: 'string', describe: 'how often it reads the ledger', default: '1s' } },
  async run(args, ctx) {
    if (!ctx.out.isTTY || ctx.stdin.isTTY !== true) {
      throw new UsageError('choiros monitor draws a full-screen display and needs a terminal.', {
        hint: 'Without one, use `choiros dashboard --plain` for a run, `choiros metrics` for numbers, or `choiros play status --json`.',
      });
    }
    const intervalMs = parseDuration(String(args.interval));
    if (intervalMs === undefined || intervalMs < 200) throw new UsageError(`--interval: expected a duration of at least 200ms, got '${String(args.interval)}'`);
    const { ledger, root } = await openLedger(ctx);
    try {
      const read = await monitorLoader(ledger, root);
      const redactor = await projectRedactor(ctx);
      const load = async () => redactor.redactDeep(await read());
      const { runMonitor } = await import('../../ui/monitor-screen.js');
      await runMonitor({ load, intervalMs, signal: ctx.signal, input: ctx.stdin, output: ctx.out.stdout, color: ctx.out.color });
    } finally {
      ledger.close();
    }
    return 0;
  },
});
