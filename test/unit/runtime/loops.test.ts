import { describe, expect, it } from 'vitest';
import { run } from './harness.js';

describe('repeat, for and loop', () => {
  it('repeats N times with a 0-based index', async () => {
    const r = await run('repeat 3 as i:\n  session "Idea {i}"\n');
    expect(r.prompts).toEqual(['default: Idea 0', 'default: Idea 1', 'default: Idea 2']);
  });

  it('iterates a list with item and index, and a JSON list given as text', async () => {
    const r = await run('input xs: "list"\nfor x, i in xs:\n  session "{i}: {x}"\n', { inputs: { xs: '["a","b"]' } });
    expect(r.prompts).toEqual(['default: 0: a', 'default: 1: b']);
  });

  it('runs loop until to max when the oracle keeps the default, asking before each iteration', async () => {
    const r = await run('loop until **the draft is ready** (max: 3) as round:\n  session "Improve {round}"\n');
    expect(r.prompts).toEqual(['default: Improve 0', 'default: Improve 1', 'default: Improve 2']);
    expect(r.journal.judgements.map((j) => `${j.site}@${j.iteration}=${String(j.answer)}`)).toEqual(['1:12@0=false', '1:12@1=false', '1:12@2=false']);
  });

  it('stops loop until as soon as the oracle says yes', async () => {
    const r = await run('loop until **done** (max: 5):\n  session "again"\n', { oracle: { done: [false, true] } });
    expect(r.prompts).toEqual(['default: again']);
  });

  it('checks loop while before each iteration, deterministically too', async () => {
    const r = await run('let n = 0\nloop while n < 2 (max: 10):\n  n = n + 1\n  session "n={n}"\n');
    expect(r.prompts).toEqual(['default: n=1', 'default: n=2']);
  });

  it('caps a loop without max and warns', async () => {
    const r = await run('loop:\n  session "forever"\n', { limits: { loopCap: 4 } });
    expect(r.agent.calls).toHaveLength(4);
    expect(r.events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message)).toEqual(['loop stopped after 4 iterations (it has no `max`)']);
  });

  it('gives each iteration its own step key', async () => {
    const r = await run('repeat 2:\n  session "x"\n  exec "true"\n');
    expect(r.journal.tasks.map((t) => `${t.kind} ${t.step}`)).toEqual(['session 1:1#0/2:3', 'exec 1:1#0/3:3', 'session 1:1#1/2:3', 'exec 1:1#1/3:3']);
  });
});

describe('pipelines', () => {
  it('filters, maps and reduces in order with the implicit item', async () => {
    const program = [
      'let topics = ["a", "b", "c"]',
      'let kept = topics',
      '  | filter:',
      '      session "Worth it: {item}?"',
      '  | map:',
      '      session "Write {item}"',
      'let digest = kept | reduce(summary, article):',
      '  session "Add {article} to {summary}"',
      'output digest = digest',
    ].join('\n');
    const r = await run(program, { answers: { default: ['yes', 'No, skip it.', 'yes', 'A', 'C', 'A+C'] } });
    expect(r.prompts).toEqual(['default: Worth it: a?', 'default: Worth it: b?', 'default: Worth it: c?', 'default: Write a', 'default: Write c', 'default: Add C to A']);
    expect(r.outputs).toEqual({ digest: 'A+C' });
  });

  it('keeps the order of pmap whatever order the branches finish in', async () => {
    const r = await run('let out = ["x", "y", "z"] | pmap:\n  session "do {item}"\noutput out = out\n', { answers: { default: ['X', 'Y', 'Z'] }, order: [2, 0, 1] });
    expect(r.outputs).toEqual({ out: ['X', 'Y', 'Z'] });
  });
});
