import { describe, expect, it } from 'vitest';
import { parseClippyJson } from '../../../src/verify/parsers/clippy.js';
import { parseEslintJson } from '../../../src/verify/parsers/eslint.js';
import { fixture } from './fixture.js';

describe('parseEslintJson', () => {
  it('counts errors (a parse error included) and warnings with file, line, column and rule', () => {
    expect(parseEslintJson(fixture('eslint.json'))).toEqual({
      kind: 'read',
      report: {
        format: 'eslint',
        errors: 2,
        warnings: 2,
        problems: [
          { severity: 'warning', file: '/tmp/vfx/el/src/app.js', line: 1, column: 7, rule: 'no-unused-vars', message: "'unused' is assigned a value but never used." },
          { severity: 'warning', file: '/tmp/vfx/el/src/app.js', line: 4, column: 3, rule: 'no-console', message: 'Unexpected console statement.' },
          { severity: 'error', file: '/tmp/vfx/el/src/app.js', line: 5, column: 12, rule: 'eqeqeq', message: "Expected '===' and instead saw '=='." },
          { severity: 'error', file: '/tmp/vfx/el/src/broken.js', line: 1, column: 17, rule: null, message: 'Parsing error: Unexpected token (' },
        ],
      },
    });
  });

  it('reads a clean run and a report after other stdout lines', () => {
    expect(parseEslintJson('[]')).toEqual({ kind: 'read', report: { format: 'eslint', errors: 0, warnings: 0, problems: [] } });
    expect(parseEslintJson(`> lint\n> eslint -f json .\n\n${fixture('eslint.json')}`)).toMatchObject({ report: { errors: 2, warnings: 2 } });
  });

  it.each([
    ['truncated', fixture('eslint.json').slice(0, 300), 'no eslint JSON report (an array of files) found'],
    ['an object', '{"errors": 0}', 'no eslint JSON report (an array of files) found'],
    ['odd entries', '[{"filePath": "a.js"}]', 'not an eslint JSON report: a file entry has no messages list'],
  ])('says a %s report could not be read', (_what, text, reason) => {
    expect(parseEslintJson(text)).toEqual({ kind: 'unreadable', reason });
  });
});

describe('parseClippyJson', () => {
  const ptrArg = { file: 'src/lib.rs', line: 5, column: 24, rule: 'clippy::ptr_arg', message: 'writing `&Vec` instead of `&[_]` involves a new object where a slice will do' };
  const lenZero = { file: 'src/lib.rs', line: 6, column: 5, rule: 'clippy::len_zero', message: 'length comparison to zero' };

  it('counts each warning once though --all-targets reports it for the lib and the lib test', () => {
    expect(parseClippyJson(fixture('clippy.jsonl'))).toEqual({
      kind: 'read',
      report: { format: 'clippy', errors: 0, warnings: 2, problems: [{ severity: 'warning', ...ptrArg }, { severity: 'warning', ...lenZero }] },
    });
  });

  it('counts denied lints as errors', () => {
    expect(parseClippyJson(fixture('clippy-deny.jsonl'))).toEqual({
      kind: 'read',
      report: { format: 'clippy', errors: 2, warnings: 0, problems: [{ severity: 'error', ...ptrArg }, { severity: 'error', ...lenZero }] },
    });
  });

  it('skips summaries, notes and lines that are not JSON', () => {
    const lines = [
      '    Checking mathy v0.1.0',
      JSON.stringify({ reason: 'compiler-message', message: { level: 'error', message: 'aborting due to 2 previous errors', spans: [], code: null } }),
      JSON.stringify({ reason: 'compiler-message', message: { level: 'note', message: 'a note', spans: [], code: null } }),
      JSON.stringify({ reason: 'compiler-message', message: { level: 'error', message: 'linking failed', spans: [], code: null } }),
      '{"reason":"build-finished","success":false}',
    ].join('\n');
    expect(parseClippyJson(lines)).toEqual({
      kind: 'read',
      report: { format: 'clippy', errors: 1, warnings: 0, problems: [{ severity: 'error', file: null, line: null, column: null, rule: null, message: 'linking failed' }] },
    });
  });

  it('says output without cargo JSON could not be read', () => {
    expect(parseClippyJson('error: could not compile `mathy`')).toEqual({ kind: 'unreadable', reason: 'no cargo JSON messages found (was --message-format=json given?)' });
  });
});
