import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSource, formatProgram } from '../../../src/prose/index.js';
import { reprint } from './helpers.js';

const root = join(import.meta.dirname, '../../fixtures/prose');
const valid = readdirSync(join(root, 'valid')).filter((f) => f.endsWith('.prose'));
const invalid = readdirSync(join(root, 'invalid')).filter((f) => f.endsWith('.prose'));

describe('corpus: valid programs', () => {
  it.each(valid)('%s checks clean', (file) => {
    const text = readFileSync(join(root, 'valid', file), 'utf8');
    const { diagnostics } = checkSource(text, file);
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([]);
  });

  it.each(valid)('%s prints to a program with the same AST, and printing is idempotent', (file) => {
    const { printed, again, same } = reprint(readFileSync(join(root, 'valid', file), 'utf8'));
    expect(same).toBe(true);
    expect(again).toBe(printed);
  });

  const formatted = valid.filter((f) => existsSync(join(root, 'valid', f.replace(/\.prose$/, '.formatted'))));
  it.each(formatted)('%s formats to exactly its .formatted twin', (file) => {
    const expected = readFileSync(join(root, 'valid', file.replace(/\.prose$/, '.formatted')), 'utf8');
    expect(formatProgram(readFileSync(join(root, 'valid', file), 'utf8')).text).toBe(expected);
    expect(formatProgram(expected).text).toBe(expected);
  });
});

describe('corpus: invalid programs', () => {
  it.each(invalid)('%s gets exactly the expected diagnostics', (file) => {
    const text = readFileSync(join(root, 'invalid', file), 'utf8');
    const expected = readFileSync(join(root, 'invalid', file.replace(/\.prose$/, '.expected')), 'utf8').trimEnd().split('\n');
    const { diagnostics } = checkSource(text, file);
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`)).toEqual(expected);
  });
});
