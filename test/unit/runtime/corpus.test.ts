import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeGates, run, unit } from './harness.js';

const valid = join(import.meta.dirname, '../../fixtures/prose/valid');

/** Inputs the corpus programs declare, with values that make them run to the end. */
const inputs: Record<string, Record<string, unknown>> = {
  'agentic-build': { components: ['api', 'ui'], mode: 'assisted', max_iterations: 2, target: 'staging' },
  'captains-chair': { task: 'a todo app', rounds: 2 },
  'content-pipeline': { topics: ['ants', 'bees'] },
  'control-flow': { depth: 2, docs: ['a'] },
  'divide-and-conquer': { problem: 'why is the sky blue' },
  'gas-town': { goal: 'a bridge' },
  'imports-and-programs': { topic: 'ants' },
  'phased-build': { components: '["api","ui"]', mode: 'assisted', max_iterations: 2 },
  'review-loop': { feature: 'search' },
};

/** Agents whose answers the program parses (JSON lists); every other answer is "yes". */
const answers: Record<string, Record<string, unknown>> = {
  'divide-and-conquer': { default: '["part a", "part b"]', solver: 'answered' },
  'gas-town': { mayor: '["north", "south"]' },
};

const programs = () =>
  new Map([
    ['research', unit('input topic: "t"\ninput depth: "d"\noutput findings = session "Research {topic} to depth {depth}"\n', 'alice/research.prose')],
    ['summarize', unit('input text: "t"\noutput summary = session "Summarize {text}"\n', 'bob/summarize.prose')],
  ]);

function corpus(dir: string, names: string[]) {
  return names.map((name) => [name, readFileSync(join(dir, `${name}.prose`), 'utf8')] as const);
}

describe('the example programs run against the scripted agent', () => {
  // hello, phased-build and review-loop are the shared examples of PROSE.md, copied unchanged.
  const cases = corpus(valid, ['agentic-build', 'captains-chair', 'content-pipeline', 'control-flow', 'crlf', 'divide-and-conquer', 'gas-town', 'hello', 'imports-and-programs', 'keywords-as-names', 'openprose-tour', 'phased-build', 'prompts-with-code', 'review-loop']);
  it.each(cases)('%s', async (name, text) => {
    const base = name;
    const gates = new FakeGates(Array.from({ length: 5 }, () => ({ answer: 'Modify', feedback: 'ship it', by: 'test' })));
    const r = await run(text, { inputs: inputs[base] as never, programs: programs(), answers: { '*': 'yes', ...answers[base] }, gates });
    if (r.status !== 'succeeded') throw new Error(`${name}: ${r.status}: ${r.error?.message} at ${(r.error as { where?: string } | undefined)?.where}`);
    expect(r.agent.calls.length + r.exec.requests.length).toBeGreaterThan(0);
  });
});
