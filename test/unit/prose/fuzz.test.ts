import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES, Source, checkSource, formatDiagnostic, formatProgram, parseProgram, type Diagnostic } from '../../../src/prose/index.js';
import { reprint } from './helpers.js';

/** mulberry32: a small seeded generator, so a failure names the seed that reproduces it. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = ['"""', '***', '**', '"', '{', '}', '(', ')', '[', ']', ':', '\t', '|', '->', '#', '\\', 'else:', 'catch:', '  ', '\r\n', 'session', 'let x =', '{item}', '\u0000', '💥'];

type Mutation = (lines: string[], rnd: () => number) => void;

const pick = <T>(items: readonly T[], rnd: () => number): T => items[Math.floor(rnd() * items.length)] as T;
const at = (lines: string[], rnd: () => number) => Math.floor(rnd() * lines.length);

const MUTATIONS: Mutation[] = [
  (lines, rnd) => void lines.splice(at(lines, rnd), 1),
  (lines, rnd) => {
    const i = at(lines, rnd);
    lines.splice(i, 0, lines[i] ?? '');
  },
  (lines, rnd) => {
    const i = at(lines, rnd);
    const j = at(lines, rnd);
    [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
  },
  (lines, rnd) => {
    const i = at(lines, rnd);
    const line = lines[i] ?? '';
    lines[i] = line.slice(0, Math.floor(rnd() * (line.length + 1)));
  },
  (lines, rnd) => {
    const i = at(lines, rnd);
    const line = lines[i] ?? '';
    const cut = Math.floor(rnd() * (line.length + 1));
    lines[i] = line.slice(0, cut) + pick(FRAGMENTS, rnd) + line.slice(cut);
  },
  (lines, rnd) => {
    const i = at(lines, rnd);
    const bytes = Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => String.fromCharCode(Math.floor(rnd() * 256)));
    lines[i] = (lines[i] ?? '') + bytes.join('');
  },
  (lines, rnd) => {
    const i = at(lines, rnd);
    lines[i] = ' '.repeat(Math.floor(rnd() * 7)) + (lines[i] ?? '').trimStart();
  },
];

function mutate(text: string, rnd: () => number): string {
  const lines = text.split('\n');
  const count = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < count; i++) pick(MUTATIONS, rnd)(lines, rnd);
  return lines.join('\n');
}

/** Every diagnostic points into the text, with a known code, and prints. */
function expectWellFormed(diagnostics: readonly Diagnostic[], text: string): void {
  const lines = text.split('\n').length;
  const source = new Source(text, 'fuzz.prose');
  for (const d of diagnostics) {
    expect(formatDiagnostic(d, source)).toContain(`fuzz.prose:${d.line}:${d.column}: `);
    expect(d.code in CODES).toBe(true);
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lines);
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(d.span.start).toBeLessThanOrEqual(d.span.end);
    expect(d.span.end).toBeLessThanOrEqual(text.length);
  }
}

const root = join(import.meta.dirname, '../../fixtures/prose/valid');
const seeds = readdirSync(root)
  .filter((f) => f.endsWith('.prose'))
  .map((f) => readFileSync(join(root, f), 'utf8'));

describe('fuzz', () => {
  it('survives 3,000 seeded mutations of valid programs: diagnostics always, exceptions never', () => {
    const rnd = random(20_260_130);
    let clean = 0;
    for (let round = 0; round < 3000; round++) {
      const text = mutate(pick(seeds, rnd), rnd);
      const { diagnostics, program } = checkSource(text, `mutant-${round}.prose`);
      expectWellFormed(diagnostics, text);
      if (parseProgram(text).diagnostics.some((d) => d.severity === 'error')) continue;
      clean += 1;
      // Whatever parses must print to a program with the same AST.
      const { same, printed, again } = reprint(text);
      expect({ round, same, idempotent: printed === again }).toEqual({ round, same: true, idempotent: true });
      expect(program.kind).toBe('Program');
    }
    expect(clean).toBeGreaterThan(100);
    // ~2 s alone; the whole suite runs beside it on two cores.
  }, 60_000);

  it('turns binary garbage into diagnostics', () => {
    const rnd = random(7);
    for (let round = 0; round < 20; round++) {
      const text = Array.from({ length: 4096 }, () => String.fromCharCode(Math.floor(rnd() * 256))).join('');
      const { diagnostics } = checkSource(text);
      expect(diagnostics.length).toBeGreaterThan(0);
      expectWellFormed(diagnostics, text);
    }
  });

  it.each([
    ['unbalanced brackets', '((([[[{{{\n'.repeat(50)],
    ['closers only', ')]}'.repeat(200)],
    ['a lone triple quote', 'let x = """\n'],
    ['a lone discretion marker', 'if ***\n  never closed\n'],
    ['a thousand nested blocks', Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}if x:`).join('\n')],
    ['only indentation', '    \n        \n\t\t\n'],
    ['only punctuation', ':,.=<>+-*/%|!?@;'.repeat(100)],
  ])('ends %s in diagnostics without throwing', (_what, text) => {
    const { diagnostics } = checkSource(text);
    expectWellFormed(diagnostics, text);
    expect(formatProgram(text).diagnostics.length).toBeGreaterThanOrEqual(0);
  });

  it('reads a 10 MB file in bounded time and memory', () => {
    const line = 'session "a fairly ordinary line of a very long program {x}"\n';
    const text = line.repeat(Math.ceil(10_000_000 / line.length));
    const started = performance.now();
    const { diagnostics, program } = checkSource(text);
    expect(diagnostics).toEqual([]);
    expect(program.statements.length).toBe(Math.ceil(10_000_000 / line.length));
    expect(performance.now() - started).toBeLessThan(8000);
  }, 30_000);
});
