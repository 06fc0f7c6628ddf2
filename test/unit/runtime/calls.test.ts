import { describe, expect, it } from 'vitest';
import { run, unit } from './harness.js';

describe('blocks, do, sequences and program calls', () => {
  it('calls blocks with positional and named arguments', async () => {
    const r = await run('block cite(source, style):\n  session "Cite {source} in {style}"\ndo cite("Knuth", "APA")\ndo cite(style: "MLA", source: "Dijkstra")\n');
    expect(r.prompts).toEqual(['default: Cite Knuth in APA', 'default: Cite Dijkstra in MLA']);
  });

  it('recurses, with output returning from the block at once, and keys steps by call chain', async () => {
    const program = [
      'block solve(q, depth):',
      '  if depth <= 0:',
      '    output session "Answer {q}"',
      '  let answers = ["x", "y"] | map:',
      '    do solve("{q}.{item}", depth - 1)',
      '  output session "Merge {answers}"',
      'let answer = do solve("q", 1)',
      'output answer = answer',
    ].join('\n');
    const r = await run(program, { answers: { default: ['ax', 'ay', 'merged'] } });
    expect(r.prompts).toEqual(['default: Answer q.x', 'default: Answer q.y', 'default: Merge ["ax","ay"]']);
    expect(r.outputs).toEqual({ answer: 'merged' });
    expect(r.journal.tasks.map((t) => t.step)).toEqual(['7:14>solve/4:30#0/5:5>solve/3:12', '7:14>solve/4:30#1/5:5>solve/3:12', '7:14>solve/6:10']);
  });

  it('stops runaway recursion at depth 100 with an error a program can catch', async () => {
    const r = await run('block down(n):\n  do down(n + 1)\ntry:\n  do down(0)\ncatch as e:\n  output depth = e.kind\n');
    expect(r.outputs).toEqual({ depth: 'depth' });
  });

  it('runs a -> sequence in order, its value the last', async () => {
    const r = await run('let last = session "Outline" -> session "Write" -> session "Proofread"\noutput last = last\n', { answers: { default: ['o', 'w', 'p'] } });
    expect(r.prompts).toEqual(['default: Outline', 'default: Write', 'default: Proofread']);
    expect(r.outputs).toEqual({ last: 'p' });
  });

  it('runs a do: block in a scope of its own', async () => {
    const r = await run('let x = do:\n  let inner = session "a"\n  session "b {inner}"\noutput x = x\n', { answers: { default: ['A', 'B'] } });
    expect(r.prompts).toEqual(['default: a', 'default: b A']);
    expect(r.outputs).toEqual({ x: 'B' });
  });

  it('calls a used program with named inputs and reads its outputs', async () => {
    const research = unit('input topic: "t"\ninput depth: "d"\nagent scholar:\n  model: opus\nlet found = session: scholar\n  prompt: "Research {topic} to depth {depth}"\noutput findings = found\noutput depth_used = depth\n', 'alice/research.prose');
    const programs = new Map([['research', research]]);
    const r = await run('use "alice/research" as research\nlet r = research(topic: "ants", depth: 2)\nsession "Summarize {r.findings}"\noutput report = r\n', { programs, answers: { scholar: 'ants are many', default: 'summary' } });
    expect(r.prompts).toEqual(['scholar: Research ants to depth 2', 'default: Summarize ants are many']);
    expect(r.outputs).toEqual({ report: { findings: 'ants are many', depth_used: 2 } });
    expect(r.agent.calls[0]?.request.model).toBe('opus');
    expect(r.journal.tasks[0]?.step).toBe('2:9>research/5:13');
  });
});
