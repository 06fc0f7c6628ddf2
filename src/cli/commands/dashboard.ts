import { parseDuration } from '../../config/units.js';
import { UsageError } from '../../errors.js';
import type { CommandSpec } from '../command.js';
import { projectRedactor, withSecretsRedacted } from './ledger-access.js';
import { loadPlay } from './play-load.js';

export const dashboard: CommandSpec = withSecretsRedacted({
  name: 'dashboard',
  describe: 'the play dashboard: progress, stages, health and ETA of a run, live while it runs',
  options: {
    run: { type: 'string', describe: 'the run (default: the latest)' },
    plain: { type: 'boolean', describe: 'print one frame as plain text (logs, CI)' },
    interval: { type: 'string', describe: 'how often a live dashboard reads the ledger', default: '1s' },
  },
  async run(args, ctx) {
    const intervalMs = parseDuration(String(args.interval));
    if (intervalMs === undefined || intervalMs < 100) throw new UsageError(`--interval: expected a duration of at least 100ms, got '${String(args.interval)}'`);
    const play = await loadPlay(ctx, args.run as string | undefined);
    try {
      const { snapshotLoader } = await import('../../ui/dashboard-snapshot.js');
      const { artifactChecker } = await import('./play-load.js');
      const artifactExists = artifactChecker(play.root);
      const source = { refresh: () => play.feed.refresh(), report: (now: number) => play.feed.report({ now, artifactExists }) };
      const redactor = await projectRedactor(ctx);
      // Without a terminal nothing renders Ink (DESIGN.md): one plain frame with every stage, as with --plain.
      if (args.plain === true || !ctx.out.isTTY) {
        const { frameText } = await import('../../ui/play-frame.js');
        ctx.out.line(frameText((await snapshotLoader(source, { columns: ctx.out.columns, redactor })()).frame));
        return 0;
      }
      // A live frame stays inside the terminal (with a line for the footer): Ink redraws it in place.
      const rows = (ctx.out.stdout as { rows?: number }).rows;
      const load = snapshotLoader(source, { columns: ctx.out.columns, redactor, ...(rows === undefined ? {} : { rows: rows - 2 }) });
      const { importUi } = await import('../../ui/import-ui.js');
      const { renderDashboard } = await importUi(() => import('../../ui/play-dashboard-render.js'), { color: ctx.out.color });
      await renderDashboard({ load, intervalMs, out: ctx.out, stdin: ctx.stdin, signal: ctx.signal });
      return 0;
    } finally {
      play.ledger.close();
    }
  },
});
