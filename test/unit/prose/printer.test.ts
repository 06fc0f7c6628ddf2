import { describe, expect, it } from 'vitest';
import { formatProgram } from '../../../src/prose/index.js';
import { program, reprint } from './helpers.js';

function format(text: string): string | undefined {
  return formatProgram(text).text;
}

describe('printer', () => {
  it('normalizes indentation to two spaces and spacing around operators', () => {
    const text = program('agent  a :', '    model:opus', 'if x==1 and(y+2)*3>=z :', '      session   "hi"');
    expect(format(text)).toBe(program('agent a:', '  model: opus', 'if x == 1 and (y + 2) * 3 >= z:', '  session "hi"'));
  });

  it('keeps comments, trailing and on their own lines, and single blank lines', () => {
    const text = program('# head', '', '', 'let a = 1  # why', 'if a:', '  # inside', '  b', '  # end of block', '# before else', 'else:', '  c', '# tail');
    expect(format(text)).toBe(program('# head', '', 'let a = 1  # why', 'if a:', '  # inside', '  b', '  # end of block', '# before else', 'else:', '  c', '# tail'));
  });

  it('moves a comment from inside a multi-line expression before the next statement', () => {
    expect(format(program('let c = {', '  a: 1,  # one', '}', 'x'))).toBe(program('let c = {a: 1}', '# one', 'x'));
  });

  it('prints triple-quoted strings exactly as written', () => {
    const text = program('session: a', '  prompt: """', '     keep   this', '  as is', '"""');
    expect(format(text)).toBe(text);
  });

  it('escapes strings and quotes object keys that are not names', () => {
    expect(format(program('let a = {"x y": "say \\"hi\\"\\n", ok: 1}'))).toBe(program('let a = {"x y": "say \\"hi\\"\\n", ok: 1}'));
  });

  it('prints else if as elif, inline bodies as blocks and pipelines one step per line', () => {
    const text = program('if a: x', 'else if b: y', 'let r = xs | map: session "{item}" | filter: ok');
    expect(format(text)).toBe(program('if a:', '  x', 'elif b:', '  y', 'let r = xs', '  | map:', '    session "{item}"', '  | filter:', '    ok'));
  });

  it('prints sequences of sessions with properties on continuation lines', () => {
    const text = program('let r = session "a"', '  context: x', '-> session "b"');
    expect(format(text)).toBe(text);
  });

  it('prints every choiros action', () => {
    const text = program(
      'phase ship:',
      '  let r = verify unit, lint',
      '  checkpoint good "green"',
      '  rollback to base',
      '  let d = gate deploy:',
      '    options: ["Yes", "No"]',
      '  exec "make"',
      '    timeout: "5m"',
      '  parallel ("first") for x, i in xs:',
      '    do build(x, i)',
    );
    expect(format(text)).toBe(text);
  });

  it('keeps parentheses that make `not` read clearly', () => {
    expect(format(program('assert not (a == b)', 'let c = not d'))).toBe(program('assert not (a == b)', 'let c = not d'));
  });

  it('refuses to format a program with errors', () => {
    expect(formatProgram(program('let x =')).text).toBeUndefined();
  });

  it('is idempotent and keeps the AST for tricky constructs', () => {
    const text = program('let a = -(1 + 2)', 'let b = not (x or y)', 'let c = (verify unit).passed', 'let d = {review.security, k: [1, {n: null}]}', 'let e = a - -b', 'let f = not (x in y) and z not in w', 'input "odd name": "?"');
    const { printed, again, same } = reprint(text);
    expect(same).toBe(true);
    expect(again).toBe(printed);
  });

  it('keeps a comment inside a pipeline step with that step', () => {
    const text = program('let r = xs', '  | filter:', '    a', '    # about a', '  | map:', '    b');
    expect(format(text)).toBe(text);
  });

  it('keeps a trailing comment on the line it ended, not on the clause header before it', () => {
    const text = program('if a:', '  x', 'else:', '  rollback to base  # why');
    expect(format(text)).toBe(text);
  });

  it('keeps a comment at the end of a block in that block, however deep the input indented it', () => {
    const canonical = program('if true:', '  session "a"', '  # last in if', 'session "z"');
    expect(format(program('if true:', '    session "a"', '    # last in if', 'session "z"'))).toBe(canonical);
    expect(format(program('if true:', '      session "a"', '        # deeper than the block', 'session "z"'))).toBe(program('if true:', '  session "a"', '  # deeper than the block', 'session "z"'));
    expect(format(canonical)).toBe(canonical);
    expect(format(program('if true: session "a"', '    # after a body on the header line', 'session "z"'))).toBe(program('if true:', '  session "a"', '  # after a body on the header line', 'session "z"'));
  });

  it('gives a comment after properties to the properties, the block or the top level by its indentation', () => {
    const lines = (inner: string, outer: string, top: string) => ['loop (max: 2):', '    session "a"', '        model: opus', `        #${inner}`, `    #${outer}`, `  #${top}`, 'session "z"'];
    const expected = program('loop (max: 2):', '  session "a"', '    model: opus', '    # inner', '  # outer', '# top', 'session "z"');
    expect(format(program(...lines(' inner', ' outer', ' top')))).toBe(expected);
    const { printed, again, same } = reprint(expected);
    expect([printed, again, same]).toEqual([expected, expected, true]);
  });

  it('prints pipeline steps after a source with properties at the statement level', () => {
    const text = program('let r = session: a', '  prompt: "list"', '| map:', '  session "{item}"');
    expect(format(text)).toBe(text);
  });

  it('prints an action as the prompt of a session without parentheses', () => {
    expect(format(program('session session "inner"'))).toBe(program('session session "inner"'));
  });

  it('prints the properties of an action that is the operand of another with that action', () => {
    const text = program('let d = session gate deploy:', '  prompt: "Go?"');
    expect(format(text)).toBe(text);
  });
});
