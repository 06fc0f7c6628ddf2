import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../src/ledger/pages.js';
import { UsageError } from '../../../src/errors.js';

describe('page cursors', () => {
  it('read back what they wrote', () => {
    const cursor = encodeCursor({ startedAt: '2026-11-22T23:01:22.626Z', id: 2 });
    expect(decodeCursor(cursor)).toEqual({ startedAt: '2026-11-22T23:01:22.626Z', id: 2 });
  });

  it('refuse a cursor that was changed, even where base64 decoding would skip the change', () => {
    const cursor = encodeCursor({ startedAt: '2026-11-22T23:01:22.626Z', id: 2 });
    for (const changed of [`${cursor}x`, `${cursor}==`, ` ${cursor}`, cursor.replace(/d$/, 'e')]) {
      expect(() => decodeCursor(changed), changed).toThrow(UsageError);
    }
  });
});
