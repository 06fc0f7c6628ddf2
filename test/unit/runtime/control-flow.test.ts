import { describe, expect, it } from 'vitest';
import { run } from './harness.js';

describe('if, choice, assert and discretion', () => {
  it('takes the first branch whose condition holds, and names bound in a branch are visible after it', async () => {
    const program = ['input depth: "How deep?"', 'if depth <= 0:', '  let note = "none"', 'elif depth > 3:', '  let note = "capped"', 'else:', '  let note = "depth {depth}"', 'session "{note}"'].join('\n');
    expect((await run(program, { inputs: { depth: 0 } })).prompts).toEqual(['default: none']);
    expect((await run(program, { inputs: { depth: 9 } })).prompts).toEqual(['default: capped']);
    expect((await run(program, { inputs: { depth: 2 } })).prompts).toEqual(['default: depth 2']);
  });

  it('asks the oracle for discretion only when the deterministic part does not decide', async () => {
    const program = ['input depth: "d"', 'if **docs are empty** or depth <= 0:', '  session "stop"', 'else:', '  session "go"'].join('\n');
    const decided = await run(program, { inputs: { depth: 0 }, oracle: { 'docs are empty': true } });
    expect(decided.journal.judgements).toEqual([]);
    expect(decided.prompts).toEqual(['default: stop']);
    const asked = await run(program, { inputs: { depth: 1 }, oracle: { 'docs are empty': true } });
    expect(asked.journal.judgements).toEqual([{ site: '2:4', iteration: 0, question: 'docs are empty', answer: true }]);
    expect(asked.prompts).toEqual(['default: stop']);
  });

  it('answers discretion by the default policy: if no, choice first option', async () => {
    const r = await run(['if **the code has tests**:', '  session "run tests"', 'elif **the code is simple**:', '  session "review"', 'else:', '  session "write tests"', 'choice **the severity**:', '  option "Critical":', '    session "escalate"', '  option "Minor":', '    session "log"'].join('\n'));
    expect(r.prompts).toEqual(['default: write tests', 'default: escalate']);
    expect(r.journal.judgements.map((j) => [j.question, j.answer])).toEqual([
      ['the code has tests', false],
      ['the code is simple', false],
      ['the severity', 'Critical'],
    ]);
  });

  it('lets a scripted oracle pick a choice option and interpolates discretion text', async () => {
    const r = await run(['let audience = "executives"', 'choice **which format suits {audience}**:', '  option "Short":', '    session "short"', '  option "Long":', '    session "long"'].join('\n'), {
      oracle: { 'which format suits executives': 'Long' },
    });
    expect(r.prompts).toEqual(['default: long']);
  });

  it('fails an assert with its message, and a discretion assert passes by default', async () => {
    const failed = await run('let x = 3\nassert x == 4: "x must be four"\n');
    expect(failed.status).toBe('failed');
    expect(failed.error?.message).toBe('x must be four');
    expect((await run('assert **the world is round**: "flat"\n')).status).toBe('succeeded');
  });
});

describe('try, catch, finally and throw', () => {
  it('catches a failing session, binds the error, and always runs finally', async () => {
    const r = await run(['let verdict = try:', '  session "Risky"', 'catch as err:', '  session "Recover from {err}"', 'finally:', '  session "Clean up"', 'output verdict = verdict'].join('\n'), {
      answers: { default: [{ fail: 'boom' }, 'recovered', 'clean'] },
    });
    expect(r.status).toBe('succeeded');
    expect(r.prompts).toEqual(['default: Risky', 'default: Recover from session default failed after 1 attempt (default): boom', 'default: Clean up']);
    expect(r.outputs).toEqual({ verdict: 'recovered' });
  });

  it('rethrows with a bare throw and gives the thrown message to the run', async () => {
    const r = await run(['try:', '  throw "first"', 'catch as e:', '  session "saw {e.message} ({e.kind})"', '  throw', 'finally:', '  session "finally"'].join('\n'));
    expect(r.prompts).toEqual(['default: saw first (throw)', 'default: finally']);
    expect(r.status).toBe('failed');
    expect(r.error?.message).toBe('first');
  });

  it('throws a message with interpolation and reports where', async () => {
    const r = await run('let n = 3\nthrow "still failing after {n} attempts"\n');
    expect(r.error?.message).toBe('still failing after 3 attempts');
    expect(r.events.at(-1)).toMatchObject({ type: 'run.finished', status: 'failed', at: 'test.prose:2:1' });
  });
});
