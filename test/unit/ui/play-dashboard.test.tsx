import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../src/notify/redact.js';
import type { PlayReport } from '../../../src/play/model.js';
import { replay, trackPlay } from '../../../src/play/tracker.js';
import { snapshotLoader } from '../../../src/ui/dashboard-snapshot.js';
import { PlayDashboard } from '../../../src/ui/play-dashboard.js';
import { PlayDashboardScreen } from '../../../src/ui/play-dashboard-screen.js';
import { dashboardFrame, frameText } from '../../../src/ui/play-frame.js';
import { statusLines } from '../../../src/ui/play-text.js';
import { makeStyle } from '../../../src/cli/output.js';
import { MIN, Stream, stage } from '../play/stream.js';

const stages = [stage('implementation'), stage('quality', { agents: ['cleo'] }), stage('security', { agents: ['cipher'] }), stage('merge', { agents: [] })];
const history = new Map([
  ['implementation', [12 * MIN]],
  ['quality', [8 * MIN]],
  ['security', [6 * MIN]],
  ['merge', [4 * MIN]],
]);

function liveStream(): { s: Stream; quality: number } {
  const s = new Stream('run-42').start(stages).ran('implementation', 'rex', 0, 12.5);
  s.at(12.5).add({ type: 'stage.started', stage: 'quality' });
  const first = s.task('quality', 'cleo');
  s.at(14).to(first, 'running', 'failed', 'lint').add({ type: 'task.retry', taskId: first, attempt: 2, delayMs: 0, error: 'lint' }, first);
  const quality = s.task('quality', 'cleo');
  s.at(16).add({ type: 'agent.output', taskId: quality, lines: ['ok'] }, quality);
  return { s, quality };
}

function report(s: Stream): PlayReport {
  return trackPlay(replay(s.runId, s.events), { now: s.now(), history });
}

/** Waits for a frame that differs from `from` and contains `text`. */
async function frameChange(lastFrame: () => string | undefined, from: string | undefined, text = 'PLAY WORKFLOW'): Promise<string> {
  for (const deadline = Date.now() + 5000; Date.now() < deadline; ) {
    const frame = lastFrame();
    if (frame !== undefined && frame !== from && frame.includes(text)) return frame;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the frame never changed');
}

describe('the play dashboard frame', () => {
  it('lays out the header, progress bar, stage table, health and estimated completion of the Healer design', () => {
    const { s } = liveStream();
    const { lastFrame } = render(<PlayDashboard frame={dashboardFrame(report(s), 80)} />);
    const lines = (lastFrame() ?? '').split('\n');
    expect(lines[0]).toBe(`╔${'═'.repeat(78)}╗`);
    expect(lines[1]).toMatch(/^║\s+PLAY WORKFLOW: run-42\s+║$/);
    expect(lines).toContain(`║  Repository: acme/app${' '.repeat(56)}║`);
    expect(lines.some((l) => l.includes('Branch:     feature/login'))).toBe(true);
    expect(lines.some((l) => l.includes('Started:    2026-11-22 10:00:00 UTC'))).toBe(true);
    expect(lines.some((l) => l.includes('Elapsed:    16m 00s'))).toBe(true);
    // 12m done + 3.5m of quality's 8m, of 30 weighted minutes.
    expect(lines.some((l) => /Progress: █{16}░{14} 51%/.test(l))).toBe(true);
    expect(lines.some((l) => /│ Stage\s+│ Status\s+│ Duration │ Agent\s+│ Retries │/.test(l))).toBe(true);
    expect(lines.some((l) => /│ ✓ Implementation │ Done\s+│ 12m 30s\s+│ rex\s+│ 0\s+│/.test(l))).toBe(true);
    expect(lines.some((l) => /│ ▶ Quality\s+│ Active\s+│ 3m 30s\s+│ cleo\s+│ 1\s+│/.test(l))).toBe(true);
    expect(lines.some((l) => /│ · Merge\s+│ Pending │ -\s+│ -\s+│ -\s+│/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('Health: ON TRACK'))).toBe(true); // the failed attempt was retried
    expect(lines.some((l) => l.includes('Est. Completion: ~15 minutes'))).toBe(true);
    expect(lines.every((l) => l.length === 80)).toBe(true);
  });

  it('keeps every line inside a narrow terminal and names an unknown ETA', () => {
    const { s } = liveStream();
    const text = frameText(dashboardFrame(trackPlay(replay(s.runId, s.events), { now: s.now() }), 64));
    expect(text.split('\n').every((l) => l.length === 64)).toBe(true);
    expect(text).toContain('Est. Completion: unknown (no earlier runs of this program)');
  });

  it('shows the stage a run was in when it stopped as stopped, not active, in the frame and in play status', () => {
    const { s } = liveStream();
    s.at(17).add({ type: 'run.finished', status: 'stopped', reason: 'max_iterations' });
    const text = frameText(dashboardFrame(report(s), 80));
    expect(text).toMatch(/│ ■ Quality\s+│ Stopped │ 4m 30s\s+│ cleo\s+│ 1\s+│/);
    expect(text).toContain('Est. Completion: stopped at a limit');
    expect(statusLines(report(s), makeStyle(false), 100).find((l) => l.includes('quality'))).toMatch(/^■ quality\s+stopped\s+4m 30s/);
  });

  it('marks an expected duration play status guessed, with no earlier run to take it from', () => {
    const { s } = liveStream();
    const lines = statusLines(trackPlay(replay(s.runId, s.events), { now: s.now(), history: new Map([['implementation', [12 * MIN]]]) }), makeStyle(false), 100);
    expect(lines.find((l) => l.includes('implementation'))).toMatch(/^✓ implementation\s+done\s+12m 30s\s+12m 00s\s+rex/);
    expect(lines.find((l) => l.includes('quality'))).toMatch(/^▶ quality\s+active\s+3m 30s\s+~12m 00s est\.\s+cleo/);
  });

  it('lists open deviations under the health line', () => {
    const s = new Stream('run-7').start([stage('implementation', { timeoutMs: 5 * MIN })]);
    s.at(0).add({ type: 'stage.started', stage: 'implementation' });
    const id = s.task('implementation', 'rex');
    s.at(6).add({ type: 'agent.output', taskId: id, lines: ['…'] }, id);
    const text = frameText(dashboardFrame(report(s), 80));
    expect(text).toContain('Health: OFF TRACK');
    expect(text).toContain('! StageTimeout in implementation: 6m00s of a 5m00s limit');
  });
});

describe('the live dashboard screen', () => {
  it('redraws when the run moves, logs each ended stage once into Static, and leaves when the run ends', async () => {
    const { s, quality } = liveStream();
    let state = replay(s.runId, []);
    const source = {
      refresh: () => {
        const before = state.lastSeq;
        state = replay(s.runId, s.events);
        return state.lastSeq - before;
      },
      report: (now: number) => trackPlay(state, { now, history }),
    };
    const load = snapshotLoader(source, { columns: 80, redactor: new Redactor([]), now: () => s.now() });
    const { lastFrame, frames } = render(<PlayDashboardScreen load={load} intervalMs={20} />);
    const first = await frameChange(lastFrame, undefined);
    expect(first).toContain('▶ Quality');
    expect(first).toContain('Live · q to quit');
    expect(first).toContain('✓ implementation done in 12m 30s');

    s.at(20).to(quality, 'running', 'succeeded').add({ type: 'stage.finished', stage: 'quality', status: 'succeeded' });
    const second = await frameChange(lastFrame, first, '✓ Quality');
    expect(second).toContain('✓ Quality');

    s.add({ type: 'run.finished', status: 'failed', reason: 'stopped' });
    const last = await frameChange(lastFrame, second, 'Est. Completion: failed');
    expect(last).toContain('Est. Completion: failed');
    expect(last).not.toContain('Live · q to quit');
    // Static prints each ended stage once, however many frames were drawn after it.
    expect(frames.length).toBeGreaterThan(2);
    expect(last.split('implementation done in 12m 30s').length - 1).toBe(1);
    expect(last.split('quality done in 7m 30s').length - 1).toBe(1);
  });

  it('never shows a secret an agent printed', async () => {
    const s = new Stream('run-9').start([stage('implementation')]);
    s.at(0).add({ type: 'stage.started', stage: 'implementation' });
    const id = s.task('implementation', 'rex');
    s.at(1).to(id, 'running', 'failed', 'auth failed for ghp_SECRETSECRET');
    const state = replay(s.runId, s.events);
    const load = snapshotLoader({ refresh: () => 0, report: (now) => trackPlay(state, { now }) }, { columns: 100, redactor: new Redactor(['ghp_SECRETSECRET']), now: () => s.now() });
    const { lastFrame } = render(<PlayDashboardScreen load={load} intervalMs={1000} />);
    const frame = await frameChange(lastFrame, undefined);
    expect(frame).toContain('auth failed for [redacted]');
    expect(frame).not.toContain('ghp_SECRETSECRET');
  });
});

describe('a long play on a live terminal', () => {
  function longRun(stageCount: number, doneCount: number): PlayReport {
    const s = new Stream('run-long').start(Array.from({ length: stageCount }, (_, i) => stage(`s${String(i).padStart(3, '0')}`)));
    for (let i = 0; i < doneCount; i++) s.ran(`s${String(i).padStart(3, '0')}`, 'rex', i, i + 1);
    s.at(doneCount).add({ type: 'stage.started', stage: `s${String(doneCount).padStart(3, '0')}` });
    return trackPlay(replay(s.runId, s.events), { now: s.now() });
  }

  it('fits the frame in the rows given, around the stage in progress, and sums up the rest', () => {
    const frame = frameText(dashboardFrame(longRun(200, 120), 80, 40)).split('\n');
    expect(frame).toHaveLength(40);
    const table = frame.filter((l) => l.includes('│'));
    expect(table.some((l) => /… 118 earlier stages \(118 done\)/.test(l))).toBe(true);
    expect(table.some((l) => /│ ✓ S118\s+│ Done/.test(l))).toBe(true);
    expect(table.some((l) => /│ ▶ S120\s+│ Active/.test(l))).toBe(true);
    expect(table.some((l) => /… \d+ more stages \(\d+ pending\)/.test(l))).toBe(true);
  });

  it('shows every stage when they fit, or when no height is given (--plain)', () => {
    expect(frameText(dashboardFrame(longRun(5, 2), 80, 40))).not.toContain('…');
    expect(frameText(dashboardFrame(longRun(200, 120), 80)).split('\n').filter((l) => /│ [✓▶·] S\d{3}/.test(l))).toHaveLength(200);
  });
});
