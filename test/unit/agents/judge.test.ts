import { describe, expect, it } from 'vitest';
import { JudgeOracle } from '../../../src/agents/judge.js';
import { parseAnswers, ScriptedAgent } from '../../../src/agents/scripted.js';
import type { Question } from '../../../src/runtime/ports.js';
import { run } from '../runtime/harness.js';

const question: Question = { kind: 'yes-no', site: '2:7', iteration: 3, text: 'the tests pass', bindings: new Map([['result', 'ok']]), fallback: false };

describe('the judge oracle', () => {
  it('asks the judge agent and reads its yes/no, with the site and iteration in the log name', async () => {
    const agent = new ScriptedAgent(parseAnswers({ judge: ['Yes.'] }));
    expect(await new JudgeOracle(agent, 'judge').decide(question, new AbortController().signal)).toBe(true);
    expect(agent.calls[0]?.request).toMatchObject({ agent: 'judge', logName: 'judge-2_7-3' });
  });

  it('asks once more when it cannot read the answer, then falls back to the default policy with a warning', async () => {
    const agent = new ScriptedAgent(parseAnswers({ judge: ['It depends.', 'Probably'] }));
    const warnings: string[] = [];
    expect(await new JudgeOracle(agent, 'judge', (w) => warnings.push(w)).decide(question, new AbortController().signal)).toBe(false);
    expect(agent.calls.map((c) => c.request.prompt.split('\n')[0])).toEqual(['Answer with exactly one word: yes or no.', 'Your previous answer could not be read. Answer with exactly one word: yes or no.']);
    expect(warnings).toEqual(['the judge\'s answer could not be read; the default policy answers "the tests pass"']);
  });

  it('drives a program: a loop ends when the judge says so, and a choice takes the judged option', async () => {
    const judge = new ScriptedAgent(parseAnswers({ judge: ['no', 'yes', 'Long'] }));
    const r = await run('loop until **the draft is ready** (max: 5):\n  session "improve"\nchoice **the format**:\n  option "Short":\n    session "short"\n  option "Long":\n    session "long"\n', { oraclePort: new JudgeOracle(judge, 'judge') });
    expect(r.prompts).toEqual(['default: improve', 'default: long']);
    expect(r.journal.judgements.map((j) => j.answer)).toEqual([false, true, 'Long']);
  });
});
