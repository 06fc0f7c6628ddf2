import { describe, expect, it } from 'vitest';
import { sizedStdout } from '../../../src/ui/sized-stdout.js';

const stream = (columns: number | undefined) => ({ columns }) as unknown as NodeJS.WriteStream;

describe('sizedStdout', () => {
  it('gives a terminal that reports no width the width the plain output uses', () => {
    expect(sizedStdout({ stdout: stream(0), columns: 80 }).columns).toBe(80);
    expect(sizedStdout({ stdout: stream(undefined), columns: 120 }).columns).toBe(120);
  });

  it('leaves a terminal that knows its width alone', () => {
    expect(sizedStdout({ stdout: stream(132), columns: 80 }).columns).toBe(132);
  });
});
