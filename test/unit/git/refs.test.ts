import { describe, expect, it } from 'vitest';
import { newestFirst, parseRefRecords } from '../../../src/git/refs.js';

describe('for-each-ref records', () => {
  it('splits NUL-separated fields and newline-separated records, messages with newlines included', () => {
    const fields = (ref: string, contents: string) => [ref, 'tag', 'o', 'commit', 'p', '', 't', '', 'par', '1700000000', contents].join('\0') + '\0';
    const out = `${fields('refs/tags/checkpoint-1', 'line one\n\nChoiros-Verdict: good\n')}\n${fields('refs/tags/checkpoint-2', '')}\n`;
    const records = parseRefRecords(out);
    expect(records.map((r) => [r.ref, r.contents, r.peeledParent, r.date.getTime()])).toEqual([
      ['refs/tags/checkpoint-1', 'line one\n\nChoiros-Verdict: good\n', 'par', 1_700_000_000_000],
      ['refs/tags/checkpoint-2', '', 'par', 1_700_000_000_000],
    ]);
    expect(parseRefRecords('')).toEqual([]);
  });

  it('orders newest first, and within a second by the -N suffix as a number', () => {
    const at = (name: string, seconds: number) => ({ name, date: new Date(seconds * 1000) });
    const sorted = newestFirst([at('checkpoint-20260130-120000-2', 5), at('checkpoint-20260130-120000-10', 5), at('checkpoint-20260130-120000', 5), at('old', 1)]);
    expect(sorted.map((s) => s.name)).toEqual(['checkpoint-20260130-120000-10', 'checkpoint-20260130-120000-2', 'checkpoint-20260130-120000', 'old']);
  });
});
