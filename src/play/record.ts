import type { LedgerEvent } from '../ledger/model.js';
import type { PlayReport, PlayState } from './model.js';

/**
 * The open deviations a runner should write down as `deviation` events (so that metrics count
 * them and the notifier sends them): those the tracker computes that the ledger does not hold
 * yet. Once written, the fold reads them back and they are not asked for again.
 */
export function deviationsToRecord(state: PlayState, report: PlayReport): (LedgerEvent & { type: 'deviation' })[] {
  const held = new Set([...state.recorded.map((r) => `${r.kind}\u0000${r.stage ?? ''}`), ...state.noted.filter((n) => n.refused).map((n) => `${n.kind}\u0000${n.stage ?? ''}\u0000${n.detail}`)]);
  const out: (LedgerEvent & { type: 'deviation' })[] = [];
  for (const d of report.deviations) {
    if (!d.open) continue;
    const key = d.kind === 'InvalidTransition' ? `${d.kind}\u0000${d.stage ?? ''}\u0000${d.detail}` : `${d.kind}\u0000${d.stage ?? ''}`;
    if (held.has(key)) continue;
    held.add(key);
    out.push({ type: 'deviation', kind: d.kind, stage: d.stage, detail: d.detail });
  }
  return out;
}
