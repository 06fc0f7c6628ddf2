import { describe, expect, it } from 'vitest';
import { run } from './harness.js';

describe('sessions and bindings', () => {
  it('runs a session with the default agent and makes its answer the value', async () => {
    const r = await run('let x = session "Say hello."\noutput greeting = x\n', { answers: { default: ['hello!'] } });
    expect(r.status).toBe('succeeded');
    expect(r.prompts).toEqual(['default: Say hello.']);
    expect(r.outputs).toEqual({ greeting: 'hello!' });
  });

  it('uses the agent prompt as the system prompt and lets the session override the model and prompt', async () => {
    const r = await run(
      ['agent writer:', '  model: sonnet', '  prompt: "You write tests."', 'session: writer', '  prompt: "Write one."', '  model: opus', 'session "Title only"'].join('\n'),
      { answers: {} },
    );
    const [first, second] = r.agent.calls;
    expect(first?.request).toMatchObject({ agent: 'writer', prompt: 'Write one.', system: 'You write tests.', model: 'opus' });
    expect(second?.request).toMatchObject({ agent: 'default', prompt: 'Title only', system: undefined, model: undefined });
  });

  it('interpolates bound names and leaves unbound braces literal', async () => {
    const r = await run(['let name = "Ada"', 'let obj = {inner: {deep: 42}}', 'session "Hi {name}, {obj.inner.deep}, {id}, {name.missing}, {\\"json\\": 1}"'].join('\n'));
    expect(r.prompts).toEqual(['default: Hi Ada, 42, {id}, {name.missing}, {"json": 1}']);
  });

  it('destructures objects, reassigns lets, and computes with operators', async () => {
    const r = await run(['let {a, b} = {a: 1, b: "two"}', 'let total = (a + 2) * 3 - 1', 'total = total / 2', 'let flags = [a == 1, b != "two", 3 in [1, 2, 3], "wo" in b, 5 % 3]', 'output total = total', 'output flags = flags'].join('\n'));
    expect(r.outputs).toEqual({ total: 4, flags: [true, false, true, true, 2] });
  });

  it('passes context by the names the program gives it', async () => {
    const r = await run(['let draft = session "Draft"', 'let review = session "Review"', 'session "Fix"', '  context: [draft, review]', 'session "Again"', '  context: {draft, note: "be brief"}', 'session "Fresh"', '  context: []'].join('\n'), {
      answers: { default: ['D', 'R'] },
    });
    expect(r.agent.calls.map((c) => c.request.context)).toEqual([
      [],
      [],
      [
        { name: 'draft', text: 'D' },
        { name: 'review', text: 'R' },
      ],
      [
        { name: 'draft', text: 'D' },
        { name: 'note', text: 'be brief' },
      ],
      [],
    ]);
  });

  it('fails with the position of an unbound name', async () => {
    const r = await run('let x = 1\nsession "a"\nlet y = nope + 1\n');
    expect(r.status).toBe('failed');
    expect(r.error?.message).toBe('`nope` is not bound here');
    expect((r.error as { where?: string }).where).toBe('test.prose:3:9');
  });

  it('compares, tests and reads verify, gate and checkpoint values as their main part, with fields', async () => {
    const { FakeGates, FakeVerify } = await import('./harness.js');
    const program = [
      'let r = verify unit',
      'let d = gate ship:',
      '  options: ["Yes", "Modify"]',
      'let c = checkpoint "x"',
      'if not r and d == "Modify" and c == "cp-1":',
      '  session "{r} | {d} ({d.feedback}) | {c} at {c.commit}"',
    ].join('\n');
    const r = await run(program, { verify: new FakeVerify([{ passed: false, digest: 'unit: 2 failing' }]), gates: new FakeGates([{ answer: 'Modify', feedback: 'tabs', by: 'ada' }]) });
    expect(r.prompts).toEqual(['default: unit: 2 failing | Modify (tabs) | cp-1 at c0ffee1']);
  });

  it('reads agent answers in words as conditions', async () => {
    const r = await run('let kept = ["a", "b", "c", "d"] | filter:\n  session "keep {item}?"\noutput kept = kept\n', { answers: { default: ['Yes, keep it', 'No.', '**no**', 'false'] } });
    expect(r.outputs).toEqual({ kept: ['a'] });
  });
});
