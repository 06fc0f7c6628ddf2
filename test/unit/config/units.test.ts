import { describe, expect, it } from 'vitest';
import { formatAge, formatDuration, parseDuration, parseSize } from '../../../src/config/units.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['1.5m', 90_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['1d', 86_400_000],
    ['45', 45_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('reads bare numbers as seconds', () => {
    expect(parseDuration(2)).toBe(2000);
  });

  it.each(['', 'soon', '5 minutes', '-1s', '1x', 'm5'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [900, '900ms'],
    [59_000, '59s'],
    [65_000, '1m05s'],
    [3_723_000, '1h02m'],
    [90_000_000, '1d01h'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('parseSize', () => {
  it.each([
    ['10MiB', 10 * 1024 * 1024],
    ['512KiB', 512 * 1024],
    ['1kb', 1000],
    ['2G', 2 * 1024 ** 3],
    ['100', 100],
  ])('reads %s as %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it('rejects unknown units', () => {
    expect(parseSize('3 parsecs')).toBeUndefined();
  });
});

describe('formatAge', () => {
  it.each([
    [5_000, '<1m'],
    [65_000, '1m'],
    [3_723_000, '1h02m'],
    [90_000_000, '1d01h'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});
