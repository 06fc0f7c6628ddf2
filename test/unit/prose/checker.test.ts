import { describe, expect, it } from 'vitest';
import { parseProgram, programSignature } from '../../../src/prose/index.js';
import { problems, program } from './helpers.js';

const writer = ['agent writer:', '  model: sonnet', '  prompt: "You write."'];
const captain = ['agent captain:', '  model: opus', '  persist: true'];

describe('checker: agents and properties', () => {
  it.each([
    ['a duplicate agent', program(...writer, 'agent writer:', '  model: opus'), ['4:7 error E006 duplicate agent `writer`']],
    ['an undefined agent', program('session: ghost', 'session draft: ghost2'), ['1:10 error E007 undefined agent `ghost`', '2:16 error E007 undefined agent `ghost2`']],
    ['an invalid model', program('agent a:', '  model: gpt-4'), ['2:10 error E008 invalid model `gpt-4`: use sonnet, opus or haiku']],
    ['an invalid model on a session', program('session "x"', '  model: "o1"'), ['2:10 error E008 invalid model `o1`: use sonnet, opus or haiku']],
    ['a duplicate property', program('agent a:', '  model: opus', '  model: haiku'), ['3:3 error E009 duplicate property `model`']],
    ['skills that are not an array', program('agent a:', '  skills: "web"'), ['2:11 error E013 `skills` must be an array of strings: `skills: ["web-search"]`']],
    ['a skill that is not a string', program('agent a:', '  skills: [web]'), ['2:12 error E014 a skill must be a string']],
    ['empty skills', program('agent a:', '  skills: []'), ['2:11 warning W010 empty `skills`']],
    ['permissions that are not a block', program('agent a:', '  permissions: "all"'), ['2:16 error E015 `permissions` must be an indented block of `read:`, `write:`, `execute:`, `bash:` or `network:`']],
    ['a permission pattern that is not a string', program('agent a:', '  permissions:', '    write: ["src/**", 3]'), ['3:23 error E016 a `write` pattern must be a string']],
    ['an unknown permission type', program('agent a:', '  permissions:', '    fly: allow'), ['3:5 warning W008 unknown permission type `fly`: use read, write, execute, bash or network']],
    ['an unknown permission value', program('agent a:', '  permissions:', '    network: sometimes'), ['3:14 warning W009 unknown value for `network`: use allow, deny or prompt']],
    ['resume on an agent that does not persist', program(...writer, 'resume: writer'), ['4:9 error E017 `resume:` needs an agent that persists: add `persist: true` to agent `writer`']],
    ['a second session on a persistent agent', program(...captain, 'session: captain', 'resume: captain', 'session: captain'), ['6:10 warning W011 `session: captain` starts the persistent agent afresh: use `resume: captain` to keep its memory']],
    ['an unknown property', program('session "x"', '  colour: red'), ['2:3 warning W005 unknown property `colour` on a session']],
    ['an unknown exec property', program('exec "make"', '  retries: 2'), ['2:3 warning W005 unknown property `retries` on `exec`']],
    ['an unknown gate property', program('gate ship:', '  color: red'), ['2:3 warning W005 unknown property `color` on a gate']],
    ['a bad retry and backoff', program('session "x"', '  retry: many', '  backoff: sometimes'), ['3:12 warning P115 `backoff` should be none, linear or exponential']],
    ['a retry that is not a whole number', program('session "x"', '  retry: 1.5'), ['2:10 warning P115 `retry` should be a whole number of attempts']],
    ['a value in the code of `python3 -c`', program('let x = "a"', 'exec "python3 -c \'print({x})\'"'), ['2:6 error P120 a value inside the code that `python3 -c` runs: Python would run it as code']],
    ['a value in the code of `node -e` behind env', program('let x = "a"', 'exec "env LC_ALL=C node -e {x}"'), ['2:6 error P120 a value inside the code that `node -e` runs: JavaScript would run it as code']],
    ['a value in the code of `perl -ne`', program('let x = "a"', 'exec "perl -ne \'print if /{x}/\' log.txt"'), ['2:6 error P120 a value inside the code that `perl -e` runs: Perl would run it as code']],
    ['a value in the code of `deno eval`', program('let x = "a"', 'exec "deno eval \'console.log({x})\'"'), ['2:6 error P120 a value inside the code that `deno eval` runs: JavaScript would run it as code']],
    ['a value in the script of `sed`', program('let x = "a"', 'exec "sed -i \'s/old/{x}/\' notes.txt"'), ['2:6 error P120 a value inside the code that `sed SCRIPT` runs: sed would run it as code']],
    ['a value in the program of `awk`', program('let x = "a"', 'exec "awk -F: \'{print {x}}\' /etc/passwd"'), ['2:6 error P120 a value inside the code that `awk PROGRAM` runs: awk would run it as code']],
    ['a value in the command of `su -c`', program('let x = "a"', 'exec "su deploy -c \'ship {x}\'"'), ['2:6 error P120 a value inside the code that `su -c` runs: shell would run it as code']],
    ['a value in the code of `python3 -c` inside a `sh -c` script', program('let x = "a"', 'exec "sh -c \'python3 -c \\"print({x})\\"\'"'), ['2:6 error P120 a value inside the `sh -c` script: a value would run as code in the code `python3 -c` runs']],
    ['a value in the code of `ruby -e` under `shell: true`', program('input x: "x"', 'exec "ruby -e \'puts {x}\' | wc -c"', '  shell: true'), ['2:6 error P120 a value would run as code in the code `ruby -e` runs']],
  ])('reports %s', (_what, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  it('accepts agents defined after their use, quoted models and persistent forms', () => {
    expect(problems(program('session: late', 'agent late:', '  model: "haiku"', '  persist: project', 'resume: late'))).toEqual([]);
  });

  it('accepts an agent named like a `use`d program', () => {
    expect(problems(program('use "alice/researcher"', 'session: researcher'))).toEqual([]);
  });

  it('accepts agents that choiros.yaml defines when the config is given', () => {
    expect(problems(program('session: reviewer'), { agents: ['reviewer'] })).toEqual([]);
  });
});

describe('checker: sessions and prompts', () => {
  it.each([
    ['a session with nothing to do', program('session'), ['1:1 error E003 session without a prompt or an agent: write `session "…"` or `session: NAME`']],
    ['an empty prompt', program('session ""'), ['1:9 warning W001 empty prompt']],
    ['a whitespace prompt', program('session "  "'), ['1:9 warning W002 the prompt is only whitespace']],
    ['a huge prompt', program(`session "${'x'.repeat(10_001)}"`), ['1:9 warning W003 the prompt is 10001 characters long (over 10,000)']],
    ['an empty prompt property', program('session: a', '  prompt: ""', 'agent a:', '  prompt: " "'), ['2:11 warning W004 empty `prompt:` property', '4:11 warning W004 empty `prompt:` property']],
  ])('reports %s', (_what, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  it('accepts a session whose prompt comes only from a property', () => {
    expect(problems(program('session', '  prompt: "from the property"'))).toEqual([]);
  });
});

describe('checker: scopes', () => {
  it.each([
    ['a duplicate variable', program('let a = 1', 'let a = 2'), ['2:5 error E019 duplicate variable `a`: already bound on line 1']],
    ['a duplicate in a destructuring', program('let a = 1', 'let {a, b} = x'), ['2:6 error E019 duplicate variable `a`: already bound on line 1']],
    ['a const reassigned', program('const a = 1', 'a = 2'), ['2:1 error P101 cannot reassign `a`: it is a const (line 1)']],
    ['a shadowing loop variable', program('let x = 1', 'for x in xs:', '  session "{x}"'), ['2:5 warning P102 `x` shadows the `x` bound on line 1']],
    ['a duplicate input', program('input a: "?"', 'input a: "again"'), ['2:7 error E021 duplicate input `a`']],
    ['an empty input name', program('input "": "?"'), ['1:7 error E020 input needs a name: `input topic: "What should be researched?"`']],
    ['a duplicate output', program('output r = 1', 'output r = 2'), ['2:8 error E024 duplicate output `r`']],
    ['a duplicate output declaration', program('output r: "one"', 'output r: "two"', 'output r = 1'), ['2:8 error E024 duplicate output `r`']],
    ['a let after a branch bound the name', program('if c:', '  let a = 1', 'let a = 2'), ['3:5 error E019 duplicate variable `a`: already bound on line 2']],
    ['a duplicate branch name in parallel', program('parallel:', '  a = session "x"', '  a = session "y"'), ['3:3 error E019 duplicate variable `a`: already bound on line 2']],
    ['a block parameter bound again', program('block f(n):', '  let n = 1'), ['2:7 error E019 duplicate variable `n`: already bound on line 1']],
  ])('reports %s', (_what, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  it('lets if and else bind the same name and makes it visible after the construct', () => {
    expect(problems(program('if c:', '  let note = 1', 'elif d:', '  let note = 2', 'else:', '  let note = 3', 'session "{note}"'))).toEqual([]);
  });

  it('keeps loop, catch, parameter and pipeline names inside their bodies', () => {
    const text = program('for i in xs:', '  let tmp = i', 'for i in ys:', '  let tmp = i', 'try:', '  x', 'catch as err:', '  y', 'let err = 1', 'let r = xs | map:', '  item', 'let item = 2');
    expect(problems(text)).toEqual([]);
  });

  it('keeps phases and do blocks in their own scopes', () => {
    expect(problems(program('phase a:', '  let r = 1', 'phase b:', '  let r = 2', 'do:', '  let r = 3'))).toEqual([]);
  });

  it('binds named parallel results in the enclosing scope', () => {
    expect(problems(program('parallel:', '  a = session "x"', 'let a = 1'))).toEqual(['3:5 error E019 duplicate variable `a`: already bound on line 2']);
  });

  it('finds duplicates and shadowing among many names in one scope as among a few', () => {
    const lets = Array.from({ length: 40 }, (_, i) => `let v${i} = ${i}`);
    const text = program(...lets, 'let v2 = 0', 'let v39 = 0', 'const c = 1', 'for v30 in xs:', '  session "{v30}"', 'c = 2');
    expect(problems(text)).toEqual([
      '41:5 error E019 duplicate variable `v2`: already bound on line 3',
      '42:5 error E019 duplicate variable `v39`: already bound on line 40',
      '44:5 warning P102 `v30` shadows the `v30` bound on line 31',
      '46:1 error P101 cannot reassign `c`: it is a const (line 43)',
    ]);
  });

  it('treats assignment to a new name as a binding and to a let as a reassignment', () => {
    expect(problems(program('x = 1', 'x = 2', 'let y = 1', 'y = 3'))).toEqual([]);
  });
});

describe('checker: imports, calls and blocks', () => {
  it.each([
    ['an empty use path', program('use ""'), ['1:5 error E011 empty `use` path: `use "owner/name"`']],
    ['a bad use path', program('use "just-a-name"'), ['1:5 error E012 bad `use` path `just-a-name`: expected "owner/name"']],
    ['a duplicate use', program('use "a/b"', 'use "a/b"'), ['2:5 error E010 duplicate `use` of "a/b"']],
    ['a duplicate use name', program('use "a/b"', 'use "c/d" as b'), ['2:14 error E010 duplicate `use` name `b`']],
    ['a legacy import from an unknown source', program('import "web" from "ftp:x"'), ['1:1 warning P110 legacy `import … from …`: name skills in an agent\'s `skills:`', '1:19 warning W006 unknown import source `ftp:x`: use github:, npm: or a path']],
    ['a skill that was not imported', program('import "web" from "github:a/b"', 'agent a:', '  skills: ["web", "lint"]'), ['1:1 warning P110 legacy `import … from …`: name skills in an agent\'s `skills:`', '3:19 warning W007 skill `lint` is not imported']],
    ['an unknown program', program('let r = research(topic: "x")'), ['1:9 error E025 unknown program `research`: no block or `use` of that name']],
    ['an undefined block', program('do missing'), ['1:4 error P111 undefined block `missing`']],
    ['a duplicate block', program('block f:', '  x', 'block f:', '  y'), ['3:7 error P112 duplicate block `f`']],
    ['a missing block argument', program('block f(a, b):', '  x', 'do f(1)'), ['3:4 error E026 missing input `b` for block `f`']],
    ['too many block arguments', program('block f(a):', '  x', 'do f(1, 2)'), ['3:9 error E027 too many arguments: block `f` takes 1']],
    ['an unknown named argument', program('block f(a):', '  x', 'do f(a: 1, b: 2)'), ['3:12 error E027 unknown input `b` for block `f`']],
  ])('reports %s', (_what, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  it('accepts registry, scoped, URL and local use paths', () => {
    const text = program('use "alice/research"', 'use "@team/tools/lint" as lint', 'use "https://example.com/p.prose" as remote', 'use "./lib/helpers" as helpers', 'use "/abs/x.prose" as abs');
    expect(problems(text)).toEqual([]);
  });

  it('accepts calls of blocks defined later, recursion and imported programs', () => {
    expect(problems(program('use "alice/research"', 'do f(1)', 'block f(n):', '  do f(n - 1)', 'let r = research(topic: "x")'))).toEqual([]);
  });

  it('checks the inputs and outputs of imported programs when their signatures are known', () => {
    const programs = new Map([['alice/research', { inputs: ['topic'], outputs: ['findings'] }]]);
    const text = program('use "alice/research" as research', 'let r = research(topc: "x")', 'session "{r.findings}"', 'let s = r.summary');
    expect(problems(text, { programs })).toEqual([
      '2:9 error E026 missing input `topic` for program `research`',
      '2:18 error E027 unknown input `topc` for program `research`',
      '4:11 error E028 unknown output `summary`: the program\'s outputs are findings',
    ]);
  });

  it('reports a `use` the caller could not load, with the reason it gives', () => {
    const unloadable = new Map([['./lib/nope.prose', 'no such file']]);
    expect(problems(program('use "./lib/nope.prose"', 'use "./lib/ok"'), { unloadable })).toEqual(['1:5 error E025 cannot load the program "./lib/nope.prose": no such file']);
  });

  it('reads the signature of a program: every input wherever it is declared, and its top-level outputs', () => {
    const { program: parsed } = parseProgram(
      program('input topic: "t"', 'if **deep**:', '  input depth: "d"', 'output findings = session "f"', 'output summary: "a summary"', 'do:', '  output inner = 1'),
    );
    expect(programSignature(parsed)).toEqual({ inputs: ['topic', 'depth'], outputs: ['findings', 'summary'] });
  });
});

describe('checker: loops, parallel and choiros extensions', () => {
  it.each([
    ['a loop without max', program('loop until **done**:', '  x'), ['1:1 warning P103 `loop` without `(max: N)`: choiros stops it after 100 iterations']],
    ['a loop max of zero', program('loop (max: 0):', '  x'), ['1:12 error P104 loop `max` must be a positive whole number, not 0']],
    ['a negative loop max', program('loop (max: -2):', '  x'), ['1:12 error P104 loop `max` must be a positive whole number, not -2']],
    ['an unknown parallel strategy', program('parallel ("some"):', '  x'), ['1:11 error P105 unknown parallel strategy: use "all", "first" or "any"']],
    ['a bad on-fail', program('parallel (on-fail: "panic"):', '  x'), ['1:20 error P105 `on-fail` must be "fail-fast", "continue" or "ignore"']],
    ['a bad count', program('parallel ("any", count: 0):', '  x'), ['1:25 error P105 `count` must be a positive whole number']],
    ['an unknown modifier', program('parallel for x in xs (speed: 2):', '  x'), ['1:23 error P105 unknown parallel modifier `speed`: use a strategy, `on-fail:` or `count:`']],
    ['conflicting parallel strategies', program('parallel ("first", "any"):', '  x'), ['1:20 error P105 conflicting parallel strategies "first" and "any": a parallel takes one']],
    ['a parallel strategy given twice', program('parallel ("all", "all"):', '  x'), ['1:18 error P105 duplicate parallel strategy "all"']],
    ['a duplicate on-fail', program('parallel (on-fail: "continue", on-fail: "ignore"):', '  x'), ['1:32 error E009 duplicate parallel modifier `on-fail`']],
    ['a duplicate count', program('parallel ("any", count: 1, count: 2):', '  x', '  y'), ['1:28 error E009 duplicate parallel modifier `count`']],
    ['a count without a strategy', program('parallel (count: 2):', '  x', '  y'), ['1:11 error P105 `count` needs the "any" strategy: write `parallel ("any", count: N)`']],
    ['a count with "first"', program('parallel ("first", count: 2):', '  x', '  y'), ['1:20 error P105 `count` needs the "any" strategy: "first" ignores it']],
    ['a count above the number of branches', program('parallel ("any", count: 5):', '  x', '  y'), ['1:25 error P105 `count: 5` is more than the 2 branches this parallel has']],
    ['a count above the items of a parallel for', program('parallel for x in [1] ("any", count: 2):', '  x'), ['1:38 error P105 `count: 2` is more than the 1 branch this parallel has']],
    ['a negative parallel max', program('parallel for x in xs (max: -1):', '  x'), ['1:28 error P105 `max` must be a positive whole number']],
    ['a loop with two maximums', program('loop until **x** (max: 3) (max: 4):', '  x'), ['1:28 error E009 duplicate property `max`: a loop takes one `(max: N)`']],
    ['a negative repeat count', program('repeat -1:', '  x'), ['1:8 error P121 `repeat` count must be a whole number, not -1']],
    ['a fractional repeat count', program('repeat 1.5:', '  x'), ['1:8 error P121 `repeat` count must be a whole number, not 1.5']],
    ['an exec timeout that is not a duration', program('exec "make"', '  timeout: "5 min"'), ['2:12 error P122 `timeout` must be a duration like "30s", "5m" or "1h", or a number of seconds, not "5 min"']],
    ['a session timeout that is not a duration', program('session "x"', '  timeout: "soon"'), ['2:12 error P122 `timeout` must be a duration like "30s", "5m" or "1h", or a number of seconds, not "soon"']],
    ['a duplicate phase', program('phase a:', '  x', 'phase a:', '  y'), ['3:7 error P107 duplicate phase `a`']],
    ['a phase inside a block', program('do:', '  phase a:', '    x'), ['2:9 error P108 phase `a` must be at the top level of the program']],
  ])('reports %s', (_what, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  it('accepts every well-formed parallel and a repeat of zero', () => {
    const text = program(
      'parallel ("any", count: 2, on-fail: "ignore", max: 2):',
      '  session "a"',
      '  session "b"',
      'parallel for x in xs ("any", count: 9):',
      '  session "{x}"',
      'parallel ("first", on-fail: "continue"):',
      '  session "c"',
      'repeat 0:',
      '  session "never"',
    );
    expect(problems(text)).toEqual([]);
  });

  it('reports verify gates that choiros.yaml does not define, only when the config is given', () => {
    const text = program('let r = verify unit, e2e', 'if verify lint:', '  x');
    expect(problems(text)).toEqual([]);
    expect(problems(text, { gates: ['unit', 'lint'] })).toEqual(['1:22 error P109 verify gate `e2e` is not in choiros.yaml: it defines unit, lint']);
    expect(problems(text, { gates: [] })).toEqual([
      '1:16 error P109 verify gate `unit` is not in choiros.yaml: it defines no gates',
      '1:22 error P109 verify gate `e2e` is not in choiros.yaml: it defines no gates',
      '2:11 error P109 verify gate `lint` is not in choiros.yaml: it defines no gates',
    ]);
  });

  it.each([
    ['`shell: true` on a computed command', program('let cmd = "make"', 'exec cmd', '  shell: true'), ['2:6 error P119 `shell: true` needs the command written as a string in the `exec`: a computed command had its values filled in already, so the shell cannot get them as "$1"']],
    ['a value in a nested shell under `shell: true`', program('input x: "x"', 'exec "bash -c \'echo {x}\'"', '  shell: true'), ['2:6 error P120 a value would run as code in a nested `bash -c`']],
    ['a value piped into a shell', program('input x: "x"', 'exec "echo {x} | sh"', '  shell: true'), ['2:6 error P120 a value would run as code in a `sh` that reads its script from a pipe or heredoc']],
    ['a value in a nested shell of a `sh -c` script', program('let x = "a"', 'exec "sh -c \'bash -c \\"echo {x}\\"\'"'), ['2:6 error P120 a value inside the `sh -c` script: a value would run as code in a nested `bash -c`']],
    ['a `sh -c` script that is only a value', program('let x = "a"', 'exec "sh -c {x}"'), ['2:6 error P120 a value inside the `sh -c` script: the whole script would be a value, and a value never runs as shell code']],
    ['a value in a fish script', program('let x = "a"', 'exec "fish -c \'echo {x}\'"'), ['2:6 error P120 a value inside the `fish -c` script: fish does not take values as "$1"']],
    ['a value in the remote command of ssh', program('let x = "a"', 'exec "ssh deploy@host ./ship {x}"'), ['2:6 error P120 a value in the remote command of `ssh`: the remote shell would run it as code']],
  ])('reports %s', (_what, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  it('accepts values a shell gets as parameters, and braces that name nothing', () => {
    expect(problems(program('input x: "x"', 'exec "sh -c \'echo {x} | wc -c\'"', 'exec "cat {x} | sh -c \'wc -c\'"', '  shell: true', 'exec "bash -c \'echo {id}\'"', '  shell: true'))).toEqual([]);
  });

  it('accepts a value passed after an interpreter\'s code, where the code reads it as an argument', () => {
    expect(problems(program('input x: "x"', 'exec "python3 -c \'import sys; print(sys.argv[1])\' {x}"', 'exec "node -e \'console.log(process.argv[1])\' {x}"', '  shell: true', 'exec "node script.js -e {x}"'))).toEqual([]);
  });

  it('reports a selected phase that the program does not have', () => {
    const text = program('phase setup:', '  x', 'phase build:', '  y');
    expect(problems(text, { phase: 'build' })).toEqual([]);
    expect(problems(text, { phase: 'deploy' })).toEqual(['1:1 error P106 unknown phase `deploy`: the phases are setup, build']);
    expect(problems('session "x"\n', { phase: 'deploy' })).toEqual(['1:1 error P106 unknown phase `deploy`: the program has no phases']);
  });
});
