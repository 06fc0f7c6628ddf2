import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { makeOutput, wantsColor } from '../../../src/cli/output.js';

describe('wantsColor', () => {
  it('follows NO_COLOR first, then FORCE_COLOR as chalk reads it, then whether stdout is a terminal', () => {
    expect(wantsColor({}, true)).toBe(true);
    expect(wantsColor({}, false)).toBe(false);
    expect(wantsColor({ TERM: 'dumb' }, true)).toBe(false);
    expect(wantsColor({ NO_COLOR: '1' }, true)).toBe(false);
    expect(wantsColor({ NO_COLOR: '' }, true)).toBe(true);
    expect(wantsColor({ NO_COLOR: '1', FORCE_COLOR: '1' }, true)).toBe(false);
    expect(wantsColor({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(wantsColor({ FORCE_COLOR: '' }, false)).toBe(true);
    expect(wantsColor({ FORCE_COLOR: '0' }, true)).toBe(false);
    expect(wantsColor({ FORCE_COLOR: 'false' }, true)).toBe(false);
  });
});

describe('makeOutput widths', () => {
  const pipe = () => new PassThrough();

  it('lays tables out at COLUMNS in a pipe, else 80, and wraps sentences only when a width is known', () => {
    expect(makeOutput(pipe(), pipe(), { COLUMNS: '60' })).toMatchObject({ columns: 60, wrapAt: 60, isTTY: false });
    expect(makeOutput(pipe(), pipe(), {})).toMatchObject({ columns: 80, wrapAt: Infinity });
    expect(makeOutput(pipe(), pipe(), { COLUMNS: 'wide' })).toMatchObject({ columns: 80, wrapAt: Infinity });
  });

  it("takes a terminal's own width over COLUMNS, and ignores a pseudo-terminal that reports 0", () => {
    const terminal = Object.assign(pipe(), { isTTY: true, columns: 72 });
    expect(makeOutput(terminal, pipe(), { COLUMNS: '60' })).toMatchObject({ columns: 72, wrapAt: 72, isTTY: true });
    const zero = Object.assign(pipe(), { isTTY: true, columns: 0 });
    expect(makeOutput(zero, pipe(), { COLUMNS: '60' })).toMatchObject({ columns: 60, wrapAt: 60 });
  });

  it('styles nothing without color', () => {
    const out = makeOutput(pipe(), pipe(), { NO_COLOR: '1', FORCE_COLOR: '3' });
    expect(out.style.red('x') + out.style.bold('y')).toBe('xy');
    expect(makeOutput(pipe(), pipe(), { FORCE_COLOR: '1' }).style.red('x')).toBe('\u001b[31mx\u001b[39m');
  });
});
