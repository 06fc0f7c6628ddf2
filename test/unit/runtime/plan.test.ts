import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentsUsed, missingInputs, stageSpecs, usesDiscretion } from '../../../src/runtime/plan.js';
import { unit } from './harness.js';

const agentic = unit(readFileSync(join(import.meta.dirname, '../../fixtures/prose/valid/agentic-build.prose'), 'utf8'));

describe('what a run will need', () => {
  it('asks only for the inputs the selected phase reads, and for later inputs when they are reached', () => {
    expect(missingInputs(agentic, 'setup', new Set())).toEqual({ before: [], later: [] });
    expect(missingInputs(agentic, 'implementation', new Set())).toEqual({ before: ['components'], later: [] });
    expect(missingInputs(agentic, undefined, new Set(['components']))).toEqual({ before: ['mode', 'max_iterations'], later: ['target'] });
  });

  it('asks top-level inputs declared after the first statement that runs something when the run reaches them', () => {
    const program = unit('use "./lib.prose" as lib\ninput who: "Who?"\nagent a:\n  model: sonnet\nsession "hi {who}"\ninput topic: "t"\ninput tone: "t"\n  default: "dry"\ninput unused: "u"\nsession "{topic} {tone}"\n');
    expect(missingInputs(program, undefined, new Set())).toEqual({ before: ['who'], later: ['topic'] });
    expect(missingInputs(program, undefined, new Set(['topic']))).toEqual({ before: ['who'], later: [] });
  });

  it('counts an input as read through a block a phase calls, but not where it is only declared or bound', () => {
    const program = unit('input topic: "t"\ninput unused: "u"\nblock cite(source):\n  session "Cite {source} on {topic}"\nphase a:\n  let unused2 = 1\n  do cite("x")\n');
    expect(missingInputs(program, 'a', new Set()).before).toEqual(['topic']);
  });

  it('lists the agents a run may start, fallbacks included, and the play of its phases', () => {
    const program = unit('agent w:\n  model: sonnet\nphase build:\n  session: w\n    prompt: "x"\n    fallback: [default, backup]\nphase ship:\n  session "y"\n');
    expect(agentsUsed(program, undefined)).toEqual(['w', 'default', 'backup']);
    expect(agentsUsed(program, 'ship')).toEqual(['default']);
    expect(stageSpecs(program, undefined)).toEqual([
      { name: 'build', agents: ['w', 'default', 'backup'], mayRun: ['default', 'backup'], timeoutMs: null, expect: [] },
      { name: 'ship', agents: ['default'], timeoutMs: null, expect: [] },
    ]);
    expect(stageSpecs(unit('session "x"\n'), undefined)).toEqual([{ name: 'main', agents: ['default'], timeoutMs: null, expect: [] }]);
    expect(usesDiscretion(program)).toBe(false);
    expect(usesDiscretion(agentic)).toBe(false);
    expect(usesDiscretion(unit('if **x**:\n  session "y"\n'))).toBe(true);
  });

  it('marks the agents reached only through a branch, a catch or a fallback as ones that may run', () => {
    const program = unit(
      [
        'agent builder:\n  model: sonnet',
        'agent fixer:\n  model: sonnet',
        'block polish():\n  session: fixer\n    prompt: "polish"',
        'phase deploy:',
        '  session "prepare"',
        '  let decision = gate deploy:\n    prompt: "Deploy?"\n    options: ["Yes", "Modify"]',
        '  if decision == "Modify":\n    session: builder\n      prompt: "apply {decision.feedback}"',
        '  try:\n    exec "deploy"\n  catch:\n    do polish()',
        'phase build:\n  session: builder\n    prompt: "build"\n  if decision == "x":\n    session: builder\n      prompt: "again"',
      ].join('\n') + '\n',
    );
    expect(stageSpecs(program, undefined).map((s) => [s.name, s.agents, s.mayRun])).toEqual([
      ['deploy', ['default', 'builder', 'fixer'], ['builder', 'fixer']],
      // Sure to run once, and maybe again: it is expected.
      ['build', ['builder'], undefined],
    ]);
  });

  it("records each phase's timeout and expected artifacts in the play", () => {
    const program = unit('phase build:\n  timeout: "90s"\n  expect: ["dist/out.txt"]\n  exec "make"\nphase ship:\n  timeout: 2\n  exec "deploy"\n');
    expect(stageSpecs(program, undefined)).toEqual([
      { name: 'build', agents: [], timeoutMs: 90_000, expect: ['dist/out.txt'] },
      { name: 'ship', agents: [], timeoutMs: 2000, expect: [] },
    ]);
    expect(stageSpecs(program, 'ship')).toEqual([{ name: 'ship', agents: [], timeoutMs: 2000, expect: [] }]);
  });
});
