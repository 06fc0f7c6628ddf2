/**
 * The play's Prometheus metrics (the Healer design's table), built with prom-client from the
 * ledger at each scrape: the ledger is the source of truth, so a restarted exporter loses nothing.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LedgerTotals } from '../ledger/metrics-queries.js';

/** Seconds: half a minute to two hours, as agent stages take. */
export const STAGE_BUCKETS = [30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];

export interface MetricsInput {
  totals: LedgerTotals;
  /** Runs still going, by the stage they are in ('none' before the first). */
  activeByStage: ReadonlyMap<string, number>;
}

export function buildRegistry(input: MetricsInput): Registry {
  const registry = new Registry();
  const { totals } = input;
  const duration = new Histogram({ name: 'choiros_play_stage_duration_seconds', help: 'Duration of each ended play stage', labelNames: ['stage', 'status'], buckets: STAGE_BUCKETS, registers: [registry] });
  for (const s of totals.stages) duration.observe({ stage: s.stage, status: s.status }, s.durationMs / 1000);

  const retries = new Counter({ name: 'choiros_play_agent_retries_total', help: 'Retries per agent', labelNames: ['agent'], registers: [registry] });
  for (const r of totals.agentRetries) retries.inc({ agent: r.agent }, r.count);

  const ended = totals.runsByStatus.filter((r) => r.status !== 'running' && r.status !== 'paused');
  const endedCount = ended.reduce((n, r) => n + r.count, 0);
  const succeeded = ended.find((r) => r.status === 'succeeded')?.count ?? 0;
  const completion = new Gauge({ name: 'choiros_play_completion_rate', help: 'Share of ended runs that succeeded (0..1)', registers: [registry] });
  if (endedCount > 0) completion.set(succeeded / endedCount);

  const runs = new Gauge({ name: 'choiros_play_runs', help: 'Runs in the ledger by status', labelNames: ['status'], registers: [registry] });
  for (const r of totals.runsByStatus) runs.set({ status: r.status }, r.count);

  const stageRate = new Gauge({ name: 'choiros_play_stage_success_rate', help: 'Share of ended stages that succeeded, per stage (0..1)', labelNames: ['stage'], registers: [registry] });
  const byStage = new Map<string, { ok: number; all: number }>();
  for (const s of totals.stages) {
    const e = byStage.get(s.stage) ?? { ok: 0, all: 0 };
    e.all += 1;
    if (s.status === 'succeeded') e.ok += 1;
    byStage.set(s.stage, e);
  }
  for (const [stage, e] of byStage) stageRate.set({ stage }, e.ok / e.all);

  const completionTime = new Histogram({ name: 'choiros_play_time_to_completion_seconds', help: 'Start to finish of succeeded runs', buckets: [...STAGE_BUCKETS, 14_400, 28_800], registers: [registry] });
  for (const ms of totals.completions) completionTime.observe(ms / 1000);

  const active = new Gauge({ name: 'choiros_play_active_runs', help: 'Runs going now, by the stage they are in', labelNames: ['stage'], registers: [registry] });
  for (const [stage, count] of input.activeByStage) active.set({ stage }, count);

  const deviations = new Counter({ name: 'choiros_play_deviations_total', help: 'Deviations recorded, by kind and stage', labelNames: ['kind', 'stage'], registers: [registry] });
  for (const d of totals.deviations) deviations.inc({ kind: d.kind, stage: d.stage }, d.count);

  const remediations = new Counter({ name: 'choiros_play_remediations_total', help: 'Remediations: retries, admin advance and reset, rollbacks', labelNames: ['type'], registers: [registry] });
  for (const r of totals.remediations) remediations.inc({ type: r.type }, r.count);
  return registry;
}
