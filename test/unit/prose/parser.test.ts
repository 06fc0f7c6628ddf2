import { describe, expect, it } from 'vitest';
import { parseProgram } from '../../../src/prose/index.js';
import { problems, program, statementsOf } from './helpers.js';

const id = (name: string) => ({ kind: 'Identifier', name });
const str = (value: string, triple = false) => ({ kind: 'String', value, triple, interpolations: [] });
const num = (value: number) => ({ kind: 'Number', value, raw: String(value) });

describe('parser: declarations', () => {
  it('reads use with and without an alias, and legacy import', () => {
    expect(statementsOf(program('use "alice/research" as research', 'use "bob/x"', 'import "web" from "github:a/b"'))).toEqual([
      { kind: 'Use', path: str('alice/research'), alias: id('research') },
      { kind: 'Use', path: str('bob/x'), alias: undefined },
      { kind: 'Import', skill: str('web'), source: str('github:a/b') },
    ]);
  });

  it('reads inputs with string, discretion and triple-quoted prompts', () => {
    const [a, b, c] = statementsOf(program('input topic: "What?"', 'input depth: **how deep**', 'input notes: """', 'free text', '"""'));
    expect(a).toEqual({ kind: 'Input', name: id('topic'), prompt: str('What?'), properties: [] });
    expect(b).toMatchObject({ kind: 'Input', prompt: { kind: 'Discretion', text: 'how deep', triple: false } });
    expect(c).toMatchObject({ kind: 'Input', prompt: { kind: 'String', value: '\nfree text\n', triple: true } });
  });

  it('reads an agent with nested permission properties', () => {
    const [agent] = statementsOf(program('agent reviewer:', '  model: opus', '  permissions:', '    read: ["*.md"]', '    bash: deny'));
    expect(agent).toEqual({
      kind: 'Agent',
      name: id('reviewer'),
      properties: [
        { kind: 'Property', name: id('model'), value: id('opus') },
        {
          kind: 'Property',
          name: id('permissions'),
          value: {
            kind: 'PropertyBlock',
            properties: [
              { kind: 'Property', name: id('read'), value: { kind: 'Array', elements: [str('*.md')] } },
              { kind: 'Property', name: id('bash'), value: id('deny') },
            ],
          },
        },
      ],
    });
  });

  it('reads a property whose value is indented on the next line', () => {
    const [agent] = statementsOf(program('agent a:', '  prompt:', '    "on its own line"'));
    expect(agent).toMatchObject({ properties: [{ name: id('prompt'), value: str('on its own line') }] });
  });

  it('reads block definitions with parameters, phases and keywords used as names', () => {
    const statements = statementsOf(program('block review(doc, depth):', '  session "x"', 'phase setup:', '  exec "npm ci"', 'agent filter:', '  model: haiku'));
    expect(statements[0]).toMatchObject({ kind: 'BlockDefinition', name: id('review'), params: [id('doc'), id('depth')] });
    expect(statements[1]).toMatchObject({ kind: 'Phase', name: id('setup'), body: { statements: [{ kind: 'Exec', command: str('npm ci') }] } });
    expect(statements[2]).toMatchObject({ kind: 'Agent', name: id('filter') });
  });
});

describe('parser: bindings and outputs', () => {
  it('reads let, const, destructuring, assignment and both forms of output', () => {
    expect(statementsOf(program('let a = 1', 'const b = "x"', 'let {c, d} = a', 'a = 2', 'output r = a', 'output a'))).toEqual([
      { kind: 'Let', constant: false, target: id('a'), value: num(1) },
      { kind: 'Let', constant: true, target: id('b'), value: str('x') },
      { kind: 'Let', constant: false, target: { kind: 'Destructure', names: [id('c'), id('d')] }, value: id('a') },
      { kind: 'Assign', target: id('a'), value: num(2) },
      { kind: 'Output', name: id('r'), value: id('a') },
      { kind: 'Output', name: undefined, value: id('a') },
    ]);
  });

  it('reads an output declared with a description', () => {
    expect(statementsOf(program('output summary: "The final summary"'))).toEqual([{ kind: 'OutputDeclaration', name: id('summary'), description: str('The final summary') }]);
  });

  it('treats a keyword followed by `=` as a variable', () => {
    expect(statementsOf(program('session = 1', 'output = 2'))).toMatchObject([
      { kind: 'Assign', target: id('session') },
      { kind: 'Assign', target: id('output') },
    ]);
  });
});

describe('parser: sessions', () => {
  it('reads the prompt, agent and labelled forms', () => {
    expect(statementsOf(program('session "Hi"', 'session: writer', 'session draft: writer'))).toEqual([
      { kind: 'Session', prompt: str('Hi'), agent: undefined, label: undefined, properties: [] },
      { kind: 'Session', prompt: undefined, agent: id('writer'), label: undefined, properties: [] },
      { kind: 'Session', prompt: undefined, agent: id('writer'), label: id('draft'), properties: [] },
    ]);
  });

  it('reads a title with a separate prompt property', () => {
    const [session] = statementsOf(program('session "Research"', '  prompt: "Do the research"', '  retry: 3', '  backoff: exponential'));
    expect(session).toMatchObject({ prompt: str('Research'), properties: [{ name: id('prompt') }, { name: id('retry'), value: num(3) }, { name: id('backoff'), value: id('exponential') }] });
  });

  it('reads resume, sequences across lines and a session as a binding', () => {
    const statements = statementsOf(program('resume: captain', 'let x = session "a"', '  context: y', '-> session "b"'));
    expect(statements[0]).toMatchObject({ kind: 'Resume', agent: id('captain') });
    expect(statements[1]).toMatchObject({ kind: 'Let', value: { kind: 'Sequence', steps: [{ kind: 'Session', properties: [{ name: id('context') }] }, { kind: 'Session', prompt: str('b') }] } });
  });

  it('records interpolations in strings with their offsets', () => {
    const [session] = statementsOf(program('session "Review {doc.title} for {user}; {not json}"'));
    expect(session).toMatchObject({ prompt: { interpolations: [{ path: ['doc', 'title'], start: 7, end: 18 }, { path: ['user'], start: 23, end: 29 }] } });
  });
});

describe('parser: expressions', () => {
  it('gives comparison, arithmetic and logic their usual precedence', () => {
    const [statement] = statementsOf(program('let x = not a or b and c + 1 * 2 >= d.e'));
    expect(statement).toMatchObject({
      value: {
        kind: 'Binary',
        operator: 'or',
        left: { kind: 'Unary', operator: 'not', operand: id('a') },
        right: {
          kind: 'Binary',
          operator: 'and',
          left: id('b'),
          right: {
            kind: 'Binary',
            operator: '>=',
            left: { kind: 'Binary', operator: '+', left: id('c'), right: { kind: 'Binary', operator: '*' } },
            right: { kind: 'Member', object: id('d'), property: id('e') },
          },
        },
      },
    });
  });

  it('reads membership with in and not in', () => {
    expect(statementsOf(program('let a = x in xs and y not in ys'))).toMatchObject([
      { value: { operator: 'and', left: { kind: 'Binary', operator: 'in', right: id('xs') }, right: { kind: 'Binary', operator: 'not in', left: id('y') } } },
    ]);
  });

  it('reads is, is not, null, booleans, negative numbers and indexes', () => {
    const [a, b] = statementsOf(program('let a = x is not null', 'let b = [true, false, -1.5, y[0]]'));
    expect(a).toMatchObject({ value: { kind: 'Binary', operator: 'is not', right: { kind: 'Null' } } });
    expect(b).toMatchObject({
      value: {
        elements: [
          { kind: 'Boolean', value: true },
          { kind: 'Boolean', value: false },
          { kind: 'Unary', operator: '-', operand: { kind: 'Number', value: 1.5 } },
          { kind: 'Index', object: id('y'), index: num(0) },
        ],
      },
    });
  });

  it('reads object literals on one line and across lines, with shorthand', () => {
    const [a, b] = statementsOf(program('let a = {k: 1, "quoted key": 2, b, c.d}', 'let b = {', '  x: [1,', '    2],', '}'));
    expect(a).toMatchObject({
      value: {
        kind: 'Object',
        entries: [
          { key: 'k', value: num(1) },
          { key: 'quoted key', value: num(2) },
          { key: 'b', value: undefined },
          { key: 'd', value: { kind: 'Member', object: id('c'), property: id('d') } },
        ],
      },
    });
    expect(b).toMatchObject({ value: { entries: [{ key: 'x', value: { kind: 'Array' } }] } });
  });

  it('reads calls with positional and named arguments only when `(` touches the name', () => {
    const [a, b] = statementsOf(program('let a = research(topic: t, 2)', 'loop until done (max: 3):', '  x'));
    expect(a).toMatchObject({ value: { kind: 'Call', callee: id('research'), args: [{ name: id('topic'), value: id('t') }, { name: undefined, value: num(2) }] } });
    expect(b).toMatchObject({ kind: 'Loop', condition: id('done'), max: num(3) });
  });

  it('reads discretion mixed with expressions in conditions', () => {
    const [statement] = statementsOf(program('if **docs are empty** or depth <= 0:', '  x'));
    expect(statement).toMatchObject({ branches: [{ condition: { kind: 'Binary', operator: 'or', left: { kind: 'Discretion', text: 'docs are empty' } } }] });
  });

  it('reads the choiros actions', () => {
    const statements = statementsOf(program('verify', 'verify unit, "lint"', 'checkpoint', 'checkpoint good "msg"', 'rollback', 'rollback to base', 'let d = gate deploy:', '  prompt: "Go?"', 'exec "make"', '  timeout: "5m"'));
    expect(statements).toMatchObject([
      { kind: 'Verify', gates: [] },
      { kind: 'Verify', gates: [id('unit'), id('lint')] },
      { kind: 'Checkpoint', good: false, message: undefined },
      { kind: 'Checkpoint', good: true, message: str('msg') },
      { kind: 'Rollback', target: undefined },
      { kind: 'Rollback', target: id('base') },
      { kind: 'Let', value: { kind: 'Gate', name: id('deploy'), properties: [{ name: id('prompt') }] } },
      { kind: 'Exec', properties: [{ name: id('timeout') }] },
    ]);
  });

  it('reads a variable named like an action when it is used as a value', () => {
    expect(statementsOf(program('let r = verify.passed'))).toMatchObject([{ value: { kind: 'Member', object: id('verify') } }]);
  });
});

describe('parser: control flow', () => {
  it('reads if / elif / else chains across comment lines, and `else if`', () => {
    const [a, b] = statementsOf(program('if a:', '  x', '# note', 'elif b:', '  y', 'else:', '  z', 'if c:', '  x', 'else if d:', '  y'));
    expect(a).toMatchObject({ kind: 'If', branches: [{ condition: id('a') }, { condition: id('b') }], otherwise: { statements: [id('z')] } });
    expect(b).toMatchObject({ kind: 'If', branches: [{ condition: id('c') }, { condition: id('d') }], otherwise: undefined });
  });

  it('reads an inline body after the header colon', () => {
    expect(statementsOf(program('if a: throw "no"', 'else: session "yes"'))).toMatchObject([{ kind: 'If', branches: [{ body: { statements: [{ kind: 'Throw' }] } }], otherwise: { statements: [{ kind: 'Session' }] } }]);
  });

  it('reads try / catch as / finally, also as a value', () => {
    const [statement] = statementsOf(program('let v = try:', '  a', 'catch as err:', '  b', 'finally:', '  c'));
    expect(statement).toMatchObject({ value: { kind: 'Try', handler: { name: id('err') }, finalizer: { statements: [id('c')] } } });
  });

  it('reads choice with options', () => {
    const [choice] = statementsOf(program('choice **best**:', '  option "A":', '    a', '  option "B":', '    b'));
    expect(choice).toMatchObject({ kind: 'Choice', criteria: { kind: 'Discretion' }, options: [{ label: str('A') }, { label: str('B') }] });
  });

  it('reads repeat, for with an index, loops with and without conditions', () => {
    const statements = statementsOf(program('repeat 3 as i:', '  a', 'for x, i in xs:', '  a', 'loop:', '  a', 'loop while **more** as n (max: 2):', '  a'));
    expect(statements).toMatchObject([
      { kind: 'Repeat', count: num(3), index: id('i') },
      { kind: 'For', item: id('x'), index: id('i'), iterable: id('xs') },
      { kind: 'Loop', mode: undefined, condition: undefined, max: undefined },
      { kind: 'Loop', mode: 'while', index: id('n'), max: num(2) },
    ]);
  });

  it('reads parallel blocks with modifiers, named branches and try as a branch value', () => {
    const [statement] = statementsOf(program('let r = parallel ("first", on-fail: "continue"):', '  a = session "A"', '  b = try:', '    session "B"', '  catch:', '    session "C"'));
    expect(statement).toMatchObject({
      value: {
        kind: 'Parallel',
        modifiers: [{ name: undefined, value: str('first') }, { name: id('on-fail'), value: str('continue') }],
        body: { statements: [{ kind: 'Assign', target: id('a') }, { kind: 'Assign', target: id('b'), value: { kind: 'Try' } }] },
      },
    });
  });

  it('reads parallel for, do blocks and do calls', () => {
    const statements = statementsOf(program('parallel for x in xs:', '  a', 'do:', '  a', 'do review', 'do review(x, depth: 2)'));
    expect(statements).toMatchObject([
      { kind: 'ParallelFor', item: id('x'), iterable: id('xs') },
      { kind: 'DoBlock', body: { statements: [id('a')] } },
      { kind: 'DoCall', name: id('review'), args: [] },
      { kind: 'DoCall', name: id('review'), args: [{ value: id('x') }, { name: id('depth') }] },
    ]);
  });

  it('reads pipelines with steps on one line and across lines', () => {
    const [a, b] = statementsOf(program('let a = xs | map: session "{item}"', 'let b = xs', '  | filter:', '      x', '  | reduce(acc, y):', '      z'));
    expect(a).toMatchObject({ value: { kind: 'Pipeline', source: id('xs'), stages: [{ operator: id('map'), params: [] }] } });
    expect(b).toMatchObject({ value: { kind: 'Pipeline', stages: [{ operator: id('filter') }, { operator: id('reduce'), params: [id('acc'), id('y')] }] } });
  });

  it('reads assert with a message and throw with and without one', () => {
    expect(statementsOf(program('assert x > 0: "positive"', 'throw', 'throw "why"'))).toMatchObject([
      { kind: 'Assert', condition: { kind: 'Binary' }, message: str('positive') },
      { kind: 'Throw', message: undefined },
      { kind: 'Throw', message: str('why') },
    ]);
  });
});

describe('parser: invalid programs', () => {
  it.each([
    ['a stray else', program('else:', '  x'), ['1:1 error E005 `else` without an `if` before it']],
    ['a stray elif', program('elif a:', '  x'), ['1:1 error E005 `elif` without an `if` before it']],
    ['a stray catch', program('catch:', '  x'), ['1:1 error E005 `catch` without a `try` before it']],
    ['a stray finally', program('finally:', '  x'), ['1:1 error E005 `finally` without a `try` before it']],
    ['an option outside a choice', program('option "A":', '  x'), ['1:1 error E005 `option` outside a `choice`']],
    ['try without catch or finally', program('try:', '  x'), ['1:1 error E005 `try` needs a `catch` or a `finally` block']],
    ['choice without options', program('choice **x**:', '  session "a"'), ['1:1 error E005 `choice` needs at least one `option "Label":` block', '2:3 error E005 a `choice` holds only `option "Label":` blocks']],
    ['a missing header colon', program('if x', '  y'), ['1:5 error E004 expected `:` at the end of the header, found the end of the line']],
    ['a missing block', program('if x:', 'y'), ['2:1 error E005 expected an indented block after the `:`']],
    ['a missing value', program('let x ='), ['1:8 error E004 expected an expression, found the end of the line']],
    ['an unexpected indentation', program('let x = 1', '  let y = 2'), ['2:3 error E005 unexpected indentation: only a line ending in `:` (or a session, agent or gate) opens an indented block']],
    ['trailing tokens', program('session "a" "b"'), ['1:13 error E004 expected the end of the line, found a string']],
    ['an unclosed array', program('let y = [1, 2', 'let z = 3'), ['1:14 error E004 expected `]` to close the array, found the end of the line']],
    ['a non-property line in a property block', program('agent a:', '  model: opus', '  session "x"'), ['3:3 error E004 expected a property (`name: value`), found `session`']],
    ['an unknown pipeline step', program('let a = xs | sort:', '  x'), ['1:14 error E005 unknown pipeline step `sort`: expected `map`, `filter`, `reduce` or `pmap`']],
    ['a loop modifier other than max', program('loop (limit: 3):', '  x'), ['1:1 warning P103 `loop` without `(max: N)`: choiros stops it after 100 iterations', '1:7 error E005 unknown loop modifier: a loop takes only `(max: N)`']],
  ])('reports %s', (_what, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  it('shows the indented form of a brace-delimited block', () => {
    const { diagnostics } = parseProgram(program('if mode == "assisted" {', '  session "Approve?"', '  if x { y }', '}'));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'E005', line: 1, column: 23, message: '`.prose` blocks are indented, not wrapped in braces' });
    expect(diagnostics[0]?.hint).toBe('indent the block instead:\nif mode == "assisted":\n  session "Approve?"\n  if x { y }');
  });

  it('drops what a property that fails had read, and keeps the properties around it', () => {
    const { program: parsed, diagnostics } = parseProgram(program('agent a:', '  model: opus', '  skills: ["x", "y" "z"]', '  prompt: "p"'));
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual(['3:21 expected `]` to close the array, found a string']);
    expect(parsed.statements[0]).toMatchObject({ kind: 'Agent', properties: [{ name: id('model'), value: id('opus') }, { name: id('prompt'), value: str('p') }] });
  });

  it('skips a block nested seventy deep and resumes in the block that encloses it', () => {
    // The seventy blocks close at once: more DEDENTs than the token queue first holds.
    const nested = Array.from({ length: 70 }, (_, d) => `${'  '.repeat(d + 1)}agent a${d}:`);
    const text = program('agent outer:', ...nested, '  session "x"');
    expect(problems(text)).toEqual(['2:3 error E004 expected a property (`name: value`), found `agent`', '72:3 error E004 expected a property (`name: value`), found `session`']);
  });

  it('recovers at the next statement so one mistake gives one diagnostic', () => {
    const text = program('agent broken', '  model: sonnet', '  prompt: "x"', 'session "after" )', 'session "fine"');
    expect(problems(text)).toEqual(['1:13 error E004 expected `:` at the end of the header, found the end of the line', '4:17 error E004 expected the end of the line, found `)`']);
    expect(parseProgram(text).program.statements.map((s) => s.kind)).toEqual(['Session']);
  });

  it('skips the else of an if whose header failed along with it', () => {
    expect(problems(program('if x', '  a', 'else:', '  b', 'session "next"'))).toEqual(['1:5 error E004 expected `:` at the end of the header, found the end of the line']);
  });

  it('does not continue an expression with an operator after a property block', () => {
    expect(problems(program('session "x"', '  context: y', '/ 2'))).toEqual(['3:1 error E004 expected an expression, found `/`']);
  });

  it('reports nesting past the depth limit instead of overflowing the stack', () => {
    expect(problems(`let x = ${'('.repeat(500)}1${')'.repeat(500)}\n`)).toEqual(['1:136 error P114 nesting deeper than 128 levels']);
  });
});
