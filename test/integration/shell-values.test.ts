import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/process/run.js';
import { findInterpolations } from '../../src/prose/interpolation.js';
import { shellCommand, splitCommand } from '../../src/runtime/argv.js';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'shell-values-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Text a shell would run if it ever read a value as code; argv cannot hold NUL.
const hostile = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.constantFrom('$(touch pwned)', '`touch pwned`', "'; touch pwned; echo '", '"; touch pwned; echo "', '\\"$(touch pwned)\\"', '${IFS}touch${IFS}pwned', '$1 $@ "$0"', '-n', ''),
).map((s) => s.replaceAll('\0', ''));

async function output(argv: readonly string[]): Promise<string> {
  const [file = '', ...args] = argv;
  const result = await run(file, args, { cwd: dir, timeoutMs: 10_000 });
  if (result.exitCode !== 0) throw new Error(`${result.command} failed: ${result.stderr}`);
  return result.stdout;
}

/** `{x}` of `text` filled with `value`, the way exec fills it. */
const argvOf = (text: string, value: string) => splitCommand(text, findInterpolations(text), () => value);

describe('values given to real shells', () => {
  it.each([["sh -c 'printf %s {x}'", ''], ['sh -c "printf %s {x}"', ''], ["bash -c 'printf \"%s\" \"<{x}>\"'", '<>'], ["/usr/bin/env sh -ec 'printf %s [{x}]' zero", '[]']])('%s prints the value and nothing runs it', async (text, around) => {
    await fc.assert(
      fc.asyncProperty(hostile, async (value) => {
        const expected = around === '' ? value : `${around[0]}${value}${around[1]}`;
        expect(await output(argvOf(text, value))).toBe(expected);
        expect(existsSync(join(dir, 'pwned'))).toBe(false);
      }),
      { numRuns: 25 },
    );
  });

  it.each([['printf %s {x}'], ["printf %s '{x}'"], ['printf %s "{x}"']])('`shell: true` with %s prints the value and nothing runs it', async (text) => {
    await fc.assert(
      fc.asyncProperty(hostile, async (value) => {
        const { script, params } = shellCommand(text, findInterpolations(text), () => value);
        expect(await output(['/bin/sh', '-c', script, 'sh', ...params])).toBe(value);
        expect(existsSync(join(dir, 'pwned'))).toBe(false);
      }),
      { numRuns: 25 },
    );
  });
});
