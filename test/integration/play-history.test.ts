import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stageHistory } from '../../src/ledger/play-queries.js';
import { MIN, SeededLedger, STAGES } from './play-fixture.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function seeded(): SeededLedger {
  const root = mkdtempSync(join(tmpdir(), 'choiros-history-'));
  roots.push(root);
  return new SeededLedger(root);
}

describe('stage history (the medians behind expected times and the ETA)', () => {
  it('counts a stage on the run clock: a night waiting for an approval inside it does not make it slow', () => {
    const s = seeded();
    const l = s.ledger;
    const [implementation] = STAGES;
    const run = l.createRun({ program: 'prose/build.prose', programHash: 'h1', pid: process.pid });
    l.append(run.id, { type: 'stage.started', stage: 'implementation' });
    s.clock += 10 * MIN;
    l.finishRun(run.id, 'awaiting_approval', 'gate');
    s.clock += 8 * 60 * MIN;
    l.claimRun(run.id, process.pid);
    s.clock += 5 * MIN;
    l.append(run.id, { type: 'stage.finished', stage: 'implementation', status: 'succeeded' });
    l.finishRun(run.id, 'succeeded');
    s.clock += MIN;
    // A run without stops, for contrast: its stage counts start to end.
    const plain = l.createRun({ program: 'prose/build.prose', programHash: 'h1', pid: process.pid });
    s.stage(plain.id, implementation!, 20);
    l.finishRun(plain.id, 'succeeded');
    s.clock += MIN;

    const history = stageHistory(l, 'prose/build.prose', new Date(s.clock).toISOString());

    expect(history.get('implementation')).toEqual([15 * MIN, 20 * MIN]);
    s.close();
  });
});
