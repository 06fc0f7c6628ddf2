import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/runtime/events.js';
import { outlineOf, type OutlineNode } from '../../../src/ui/run-outline.js';
import { RunTree } from '../../../src/ui/run-tree.js';
import { fitRows } from '../../../src/ui/run-tree-fit.js';
import { rowTree } from '../../../src/ui/run-tree-rows.js';
import { run, unit } from '../runtime/harness.js';

function dump(nodes: readonly OutlineNode[], depth = 0): string[] {
  return nodes.flatMap((n) => [`${'  '.repeat(depth)}${n.mode} ${n.at} ${n.label}`, ...dump(n.children, depth + 1)]);
}

/** The tree's rows as text, times left out: what a terminal of `rows` lines would show. */
function draw(tree: RunTree, rows = 40, now = 0): string[] {
  return fitRows(rowTree(tree, now), rows).map((r) => `${'  '.repeat(r.depth)}${r.glyph} ${r.text}`);
}

/** A tree that has seen `events` up to and with the first one `until` accepts (all of them without). */
function treeAfter(text: string, events: readonly RunEvent[], until: (e: RunEvent) => boolean = () => false): RunTree {
  const tree = new RunTree(outlineOf(unit(text)));
  for (const event of events) {
    tree.apply(event, 0);
    if (until(event)) break;
  }
  return tree;
}

const startOf = (key: string) => (e: RunEvent) => e.type === 'step.started' && e.step === key;

describe('the outline of a program', () => {
  it('keeps the statements that start something, nested as written, and leaves out definitions and plain bindings', () => {
    const text = [
      'input topic: "t"',
      'agent writer:',
      '  model: sonnet',
      'block review(x):',
      '  session "Review {x}"',
      'let n = 2',
      'let draft = session "Draft {topic}"',
      'parallel:',
      '  a = session "A"',
      '  let plain = 1',
      '  b = exec "make b"',
      'try:',
      '  repeat 3:',
      '    exec "make"',
      'catch as err:',
      '  do review(err)',
      'finally:',
      '  checkpoint "end"',
      'let docs = ["a", "b"] | pmap:',
      '  session "Doc {item}"',
      'session "x" -> session "y"',
      '',
    ].join('\n');
    const outline = outlineOf(unit(text));
    expect(dump(outline.roots)).toEqual([
      'step 7:13 let draft = session "Draft {topic}"',
      'parallel 8:1 parallel:',
      '  step 9:7 a = session "A"',
      '  step 11:7 b = exec "make b"',
      'sequence 12:1 try:',
      '  loop 13:3 repeat 3:',
      '    step 14:5 exec "make"',
      '  sequence 15:1 catch as err:',
      '    call 16:3 do review(err)',
      '  sequence 17:1 finally:',
      '    step 18:3 checkpoint "end"',
      'sequence 19:12 let docs = ["a", "b"] | pmap:',
      '  fanout 19:25 | pmap:',
      '    step 20:3 session "Doc {item}"',
      'sequence 21:1 session "x" -> session "y"',
      '  step 21:1 session "x"',
      '  step 21:16 session "y"',
    ]);
    // Parallel branches keep their place among the parallel's statements: step keys number them so.
    expect(outline.roots[1]?.children.map((c) => c.branch)).toEqual([0, 2]);
    expect(outline.roots[2]?.children[0]?.total).toBe(3);
  });

  it('draws only the phase a run was asked for', () => {
    const outline = outlineOf(unit('session "before"\nphase a:\n  session "A"\nphase b:\n  session "B"\n'), 'b');
    expect(dump(outline.roots)).toEqual(['sequence 4:1 phase b', '  step 5:3 session "B"']);
  });
});

describe('the statement tree during a run', () => {
  it('shows each item of a parallel for, and the steps running inside a block call under the call', async () => {
    const text = 'block review(x):\n  session "Review {x}"\nparallel for c in ["api", "ui"]:\n  session "Build {c}"\ndo review("all")\n';
    const { events } = await run(text);
    const items = treeAfter(text, events, startOf('3:1&1/4:3'));
    expect(draw(items)).toEqual(['▶ parallel for c in ["api", "ui"]: · 2 items', '  ▶ #1 session default: Build api', '  ▶ #2 session default: Build ui', '· do review("all")']);
    const call = treeAfter(text, events, startOf('5:1>review/2:3'));
    expect(draw(call)).toEqual(['✓ parallel for c in ["api", "ui"]: · 2 items', '  ✓ #1 session default: Build api', '  ✓ #2 session default: Build ui', '▶ do review("all")', '  ▶ session default: Review all']);
  });

  it('counts the iterations of a loop and draws the newest one', async () => {
    const text = 'repeat 3 as i:\n  exec "step {i}"\n  session "Check {i}"\n';
    const { events } = await run(text);
    const tree = treeAfter(text, events, startOf('1:1#1/3:3'));
    expect(draw(tree)).toEqual(['▶ repeat 3 as i: · iteration 2/3', '  ✓ exec step 1 · exited 0', '  ▶ session default: Check 1']);
    expect(draw(treeAfter(text, events))).toEqual(['✓ repeat 3 as i: · 3 iterations', '  ✓ exec step 2 · exited 0', '  ✓ session default: Check 2']);
  });

  it('shows a gate waiting for approval, and leaves what comes after it pending for prose resume', () => {
    const text = 'exec "build"\ngate deploy:\n  prompt: "Ship it?"\nexec "ship"\n';
    const tree = new RunTree(outlineOf(unit(text)));
    const events: RunEvent[] = [
      { type: 'run.started', runId: 'r', program: 'p.prose', phases: ['main'], phased: false, dryRun: false },
      { type: 'step.replayed', step: '1:1', kind: 'exec', label: 'exec build' },
      { type: 'step.started', step: '2:1', kind: 'gate', label: 'gate deploy', agent: null, attempt: 1, phase: 'main', detail: 'Ship it?' },
      { type: 'step.finished', step: '2:1', kind: 'gate', status: 'awaiting_approval', durationMs: 5, summary: 'awaiting approval' },
      { type: 'run.finished', status: 'awaiting_approval', message: undefined, at: undefined, durationMs: 9, outputs: {}, outputText: {} },
    ];
    for (const event of events) tree.apply(event, 0);
    expect(draw(tree)).toEqual(['↺ exec build · recorded, not run again', '⏸ gate deploy · awaiting approval', '· exec "ship"']);
  });

  it('lays out hundreds of statements quickly, and reuses the rows of those that finished or are not reached yet', async () => {
    const text = Array.from({ length: 40 }, (_, p) => [`phase p${p}:`, ...Array.from({ length: 12 }, (_, i) => `  session "Step ${p}.${i}"`), '  repeat 2:', '    exec "true"'].join('\n')).join('\n');
    const { events } = await run(`${text}\n`);
    const tree = new RunTree(outlineOf(unit(`${text}\n`)));
    expect(tree.outline.size).toBeGreaterThanOrEqual(600);
    const times: number[] = [];
    for (const event of events) {
      tree.apply(event, 0);
      const start = performance.now();
      fitRows(rowTree(tree, 0), 30);
      times.push(performance.now() - start);
    }
    // A frame every 100 ms at most (maxFps 10): a layout takes a small part of that. The median,
    // since a machine busy with other work (or the collector) stretches a few of them.
    const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? Infinity;
    expect(median).toBeLessThan(2);
    const [first] = rowTree(tree, 0);
    expect(rowTree(tree, 0)[0]).toBe(first);
  });
});
