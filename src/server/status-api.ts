/** `GET /health` (is the server and its ledger answering; the project's last health score) and `GET /metrics` (Prometheus). */
import { ledgerTotals } from '../ledger/metrics-queries.js';
import { activeRuns, lastEvent, ledgerPlaySource } from '../ledger/play-queries.js';
import { lastSeq } from '../ledger/serve-queries.js';
import { buildRegistry } from '../metrics/registry.js';
import { PlayFeed } from '../play/feed.js';
import type { ApiContext, Exchange } from './context.js';
import { sendJson, sendText } from './http.js';

export interface ServerFacts {
  version: string;
  startedAt: number;
  streams: () => number;
}

export function health(api: ApiContext, facts: ServerFacts, x: Exchange): void {
  let seq: number;
  try {
    seq = lastSeq(api.ledger);
  } catch (error) {
    sendJson(x.res, 503, { status: 'unavailable', error: api.redact(`ledger: ${error instanceof Error ? error.message : String(error)}`) });
    return;
  }
  const recorded = lastEvent(api.ledger, 'health', 'health');
  const score = recorded?.event.type === 'health' ? { score: recorded.event.score, status: recorded.event.status, checkpoint: recorded.event.checkpoint, at: recorded.time } : null;
  sendJson(
    x.res,
    200,
    api.redact({
      status: 'ok',
      version: facts.version,
      uptime_ms: api.now() - facts.startedAt,
      last_seq: seq,
      streams: facts.streams(),
      active_runs: activeRuns(api.ledger).length,
      awaiting_approval: api.ledger.awaitingApproval().length,
      project_health: score,
    }),
  );
}

/** Built from the ledger at each scrape, like `choiros metrics`: a restarted server loses nothing. */
export async function metrics(api: ApiContext, x: Exchange): Promise<void> {
  const activeByStage = new Map<string, number>();
  const source = ledgerPlaySource(api.ledger);
  for (const run of activeRuns(api.ledger)) {
    const feed = new PlayFeed(source, run.id);
    feed.refresh();
    const stage = feed.report({ now: api.now() }).current ?? 'none';
    activeByStage.set(stage, (activeByStage.get(stage) ?? 0) + 1);
  }
  const registry = buildRegistry({ totals: ledgerTotals(api.ledger), activeByStage });
  sendText(x.res, 200, registry.contentType, api.redact(await registry.metrics()), { 'cache-control': 'no-store' });
}
