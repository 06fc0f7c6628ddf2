import type { Ledger } from '../../ledger/ledger.js';
import type { MetricsInput } from '../../metrics/registry.js';
import type { CommandSpec } from '../command.js';
import { openLedger, withSecretsRedacted } from './ledger-access.js';

async function collect(ledger: Ledger): Promise<MetricsInput> {
  const [{ ledgerTotals }, { activeRuns, ledgerPlaySource }, { PlayFeed }] = await Promise.all([import('../../ledger/metrics-queries.js'), import('../../ledger/play-queries.js'), import('../../play/feed.js')]);
  const activeByStage = new Map<string, number>();
  const source = ledgerPlaySource(ledger);
  for (const run of activeRuns(ledger)) {
    const feed = new PlayFeed(source, run.id);
    feed.refresh();
    const stage = feed.report({ now: Date.now() }).current ?? 'none';
    activeByStage.set(stage, (activeByStage.get(stage) ?? 0) + 1);
  }
  return { totals: ledgerTotals(ledger), activeByStage };
}

async function expose(ledger: Ledger): Promise<{ contentType: string; body: string }> {
  const { buildRegistry } = await import('../../metrics/registry.js');
  const registry = buildRegistry(await collect(ledger));
  return { contentType: registry.contentType, body: await registry.metrics() };
}

export const metrics: CommandSpec = withSecretsRedacted({
  name: 'metrics',
  describe: 'Prometheus text exposition of stage durations, retries, success rates, active runs and deviations',
  options: { serve: { type: 'string', describe: 'serve /metrics on HOST:PORT (e.g. 127.0.0.1:9464) until Ctrl-C' } },
  examples: [['choiros metrics --serve 127.0.0.1:9464', 'a scrape target for Prometheus']],
  async run(args, ctx) {
    const { serveMetrics, parseAddress } = await import('../../metrics/serve.js');
    const address = args.serve === undefined ? undefined : parseAddress(String(args.serve));
    const { ledger } = await openLedger(ctx);
    try {
      if (address === undefined) {
        ctx.out.stdout.write((await expose(ledger)).body);
        return 0;
      }
      await serveMetrics(address, () => expose(ledger), ctx.signal, (url) => ctx.out.note(`Serving Prometheus metrics on ${url} (Ctrl-C to stop)`));
      return 0;
    } finally {
      ledger.close();
    }
  },
});
