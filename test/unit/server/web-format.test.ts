import { describe, expect, it } from 'vitest';
import { duration, gateButtons, isFinished, isGoing, latestRunId, percent, safeHref, stageLabel, ticking, tone } from '../../../share/web/format.js';
import { waitingJson } from '../../../src/server/views.js';
import type { Task } from '../../../src/ledger/model.js';

describe('the dashboard’s formatting', () => {
  it('writes durations short, from seconds to days', () => {
    expect([duration(900), duration(65_000), duration(3_720_000), duration(90_000_000), duration(null)]).toEqual(['0s', '1m 05s', '1h 02m', '1d 01h', '—']);
  });

  it('writes shares as whole percentages and a missing one as a dash', () => {
    expect([percent(0.4567), percent(1), percent(null)]).toEqual(['46%', '100%', '—']);
  });

  it("moves the server's elapsed time on by the page's clock while the run goes, and holds it while it is stopped", () => {
    const at = '2026-11-20T09:05:00.000Z';
    const later = Date.parse('2026-11-20T09:06:00.000Z');
    expect(ticking(300_000, at, true, later)).toBe(360_000);
    // Waiting for approval since 09:05: it stays what the server said, however long the page stays open.
    expect(ticking(300_000, at, false, later)).toBe(300_000);
    expect(ticking(null, at, true, later)).toBeNull();
    expect(isGoing({ status: 'running', finished_at: null })).toBe(true);
    for (const status of ['paused', 'awaiting_approval', 'stopped']) expect(isGoing({ status, finished_at: status === 'paused' ? null : at })).toBe(false);
  });

  it('gives every stage status words and a symbol, so status never rests on color alone', () => {
    expect(['pending', 'active', 'waiting', 'done', 'failed', 'skipped', 'stopped'].map((s) => `${stageLabel(s).symbol} ${stageLabel(s).words}`)).toEqual([
      '○ pending',
      '● running',
      '‖ waiting for approval',
      '✓ done',
      '✗ failed',
      '↷ skipped',
      '■ stopped',
    ]);
  });

  it('turns values into class names, tells finished runs, and picks the newest run', () => {
    expect([tone('on track'), tone('awaiting_approval'), tone(undefined)]).toEqual(['on-track', 'awaiting-approval', 'unknown']);
    expect([isFinished({ finished_at: null, status: 'running' }), isFinished({ finished_at: 'x', status: 'paused' }), isFinished({ finished_at: 'x', status: 'failed' })]).toEqual([false, false, true]);
    expect([latestRunId([{ id: 'b' }, { id: 'a' }]), latestRunId([])]).toEqual(['b', null]);
  });

  it('draws a waiting gate’s buttons from what the server sends: Approve / Reject for Yes / No, else one per option, the no-option rejecting', () => {
    const buttons = (inputs: unknown) => gateButtons(waitingJson({ id: 12, inputs } as Task)).map((b) => `${b.action}:${b.option ?? '-'}:${b.label}${b.needsFeedback ? '…' : ''}`);
    expect(buttons(null)).toEqual(['approve:-:Approve', 'reject:-:Reject']);
    expect(buttons({ options: ['Yes', 'No', 'Modify'] })).toEqual(['approve:Yes:Yes', 'reject:-:No', 'approve:Modify:Modify…']);
    expect(buttons({ options: ['Continue', 'Stop'] })).toEqual(['approve:Continue:Continue', 'reject:-:Stop']);
    // Modify asks for changes, it is not the no: the gate is answered no with a No it does not list.
    expect(buttons({ options: ['Yes', 'Modify'] })).toEqual(['approve:Yes:Yes', 'approve:Modify:Modify…', 'reject:-:No']);
    expect(buttons({ options: ['Ship', 'Revise it', 'Hold'] })).toEqual(['approve:Ship:Ship', 'approve:Revise it:Revise it…', 'reject:-:Hold']);
    expect(gateButtons(waitingJson({ id: 12, inputs: { options: ['Yes', 'Modify'] } } as Task)).map((b) => b.says)).toEqual(['Answered Yes to', 'Answered Modify to', 'Rejected']);
  });

  it('links an outputs_uri only when it is http(s) or a relative path', () => {
    const base = 'http://127.0.0.1:7420/?run=r1';
    expect(safeHref('https://github.com/u/r/pull/9', base)).toBe('https://github.com/u/r/pull/9');
    expect(safeHref('artifacts/report.html', base)).toBe('http://127.0.0.1:7420/artifacts/report.html');
    expect(safeHref('/runs/r1', base)).toBe('http://127.0.0.1:7420/runs/r1');
    for (const uri of ['javascript:alert(1)', ' JavaScript:alert(1)', 'java\tscript:alert(1)', 'java\nscript:alert(1)', '\u0001javascript:alert(1)', 'data:text/html,<b>x</b>', 'file:///etc/passwd', 's3://bucket/key', 'vbscript:x', '', '   ', null, undefined, 42]) {
      expect([uri, safeHref(uri, base)]).toEqual([uri, null]);
    }
  });
});

