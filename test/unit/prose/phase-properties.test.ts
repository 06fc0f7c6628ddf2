import { describe, expect, it } from 'vitest';
import { formatProgram, parseProgram, type Phase } from '../../../src/prose/index.js';
import { phaseExpect, phaseTimeoutMs } from '../../../src/prose/phase-properties.js';
import { problems, program, reprint, statementsOf } from './helpers.js';

const id = (name: string) => ({ kind: 'Identifier', name });
const str = (value: string) => ({ kind: 'String', value, triple: false, interpolations: [] });

function phaseOf(text: string): Phase {
  const parsed = parseProgram(text);
  expect(parsed.diagnostics).toEqual([]);
  return parsed.program.statements.find((s): s is Phase => s.kind === 'Phase') as Phase;
}

describe('phase properties: parsing', () => {
  it('reads leading `timeout:` and `expect:` lines as properties and the rest as the body', () => {
    const [phase] = statementsOf(program('phase build:', '  timeout: "30m"', '  expect: ["dist/out.txt", "dist/app.js"]', '  exec "echo hi"'));
    expect(phase).toEqual({
      kind: 'Phase',
      name: id('build'),
      properties: [
        { kind: 'Property', name: id('timeout'), value: str('30m') },
        { kind: 'Property', name: id('expect'), value: { kind: 'Array', elements: [str('dist/out.txt'), str('dist/app.js')] } },
      ],
      body: { kind: 'Block', statements: [{ kind: 'Exec', command: str('echo hi'), properties: [] }] },
    });
  });

  it('keeps statements that open with `word:` in the body: session:, do:, try:, parallel:', () => {
    const [phase] = statementsOf(program('agent a:', '  model: opus', 'phase p:', '  session: a', '  do:', '    exec "x"', '  try:', '    exec "y"', '  catch:', '    exec "z"')).slice(1);
    expect(phase).toMatchObject({ kind: 'Phase', properties: [], body: { statements: [{ kind: 'Session' }, { kind: 'DoBlock' }, { kind: 'Try' }] } });
  });

  it('accepts a phase that only declares properties, and phases without any', () => {
    expect(statementsOf(program('phase wait:', '  timeout: 90', 'phase go: exec "x"'))).toMatchObject([
      { kind: 'Phase', properties: [{ name: id('timeout'), value: { kind: 'Number', value: 90 } }], body: { statements: [] } },
      { kind: 'Phase', properties: [], body: { statements: [{ kind: 'Exec' }] } },
    ]);
  });

  it('points a property written in the header to the body lines', () => {
    expect(problems(program('phase build (expect: ["a"]):', '  exec "x"'))).toEqual(['1:13 error E004 a phase takes its properties on the first lines of its body, not in its header']);
    const hint = parseProgram(program('phase build (timeout: "1s"):', '  exec "x"')).diagnostics[0]?.hint;
    expect(hint).toBe('phase build:\n  timeout: "30m"\n  expect: ["dist/app.js"]\n  …');
  });
});

describe('phase properties: checks', () => {
  it.each([
    ['an unknown phase property', program('phase p:', '  timout: "1s"', '  exec "x"'), ['2:3 error P116 unknown phase property `timout`: a phase takes `timeout:` and `expect:`']],
    ['a timeout that is not a duration', program('phase p:', '  timeout: "soon"', '  exec "x"'), ['2:12 error P117 a phase `timeout` is a duration written out, like "30m", "1h30m" or "90s", or a number of seconds']],
    ['a timeout read from a variable', program('phase p:', '  timeout: budget', '  exec "x"'), ['2:12 error P117 a phase `timeout` is a duration written out, like "30m", "1h30m" or "90s", or a number of seconds']],
    ['a zero timeout', program('phase p:', '  timeout: 0', '  exec "x"'), ['2:12 error P117 a phase `timeout` is a duration written out, like "30m", "1h30m" or "90s", or a number of seconds']],
    ['expect that is not a list', program('phase p:', '  expect: "dist/a.js"', '  exec "x"'), ['2:11 error P118 `expect` is a list of paths the phase must leave behind']],
    ['an expected path that is not a string', program('phase p:', '  expect: ["a", 3, ""]', '  exec "x"'), ['2:17 error P118 an expected artifact is a path, written as a non-empty string', '2:20 error P118 an expected artifact is a path, written as a non-empty string']],
    ['a property given twice', program('phase p:', '  timeout: "1m"', '  timeout: "2m"', '  exec "x"'), ['3:3 error E009 duplicate property `timeout`']],
  ])('reports %s', (_what, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  it('accepts durations as choiros.yaml writes them and numbers of seconds', () => {
    for (const timeout of ['"30m"', '"1h30m"', '"90s"', '"500ms"', '45', '1.5']) expect(problems(program('phase p:', `  timeout: ${timeout}`, '  exec "x"'))).toEqual([]);
  });

  it('reads the limit in milliseconds and the expected paths', () => {
    expect(phaseTimeoutMs(phaseOf(program('phase p:', '  timeout: "1h30m"', '  exec "x"')))).toBe(90 * 60_000);
    expect(phaseTimeoutMs(phaseOf(program('phase p:', '  timeout: 2', '  exec "x"')))).toBe(2000);
    expect(phaseTimeoutMs(phaseOf(program('phase p:', '  exec "x"')))).toBeNull();
    expect(phaseExpect(phaseOf(program('phase p:', '  expect: ["a.txt", "b/c.txt"]', '  exec "x"')))).toEqual(['a.txt', 'b/c.txt']);
  });
});

describe('phase properties: printing', () => {
  it('keeps them as the first lines of the phase, comments included, and parses back to the same tree', () => {
    const text = program('phase build:', '  # the limit', '  timeout: "30m"  # generous', '  expect: ["dist/out.txt"]', '', '  exec "echo hi"', 'phase ship:', '  expect: []');
    expect(formatProgram(text).text).toBe(text);
    const again = reprint(program('phase   build :', '    timeout:"1s"', '    expect:["a" ,"b"]', '    exec "x"'));
    expect(again.printed).toBe(program('phase build:', '  timeout: "1s"', '  expect: ["a", "b"]', '  exec "x"'));
    expect(again.same).toBe(true);
  });
});
