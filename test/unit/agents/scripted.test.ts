import { describe, expect, it } from 'vitest';
import { parseAnswers, ScriptedAgent } from '../../../src/agents/scripted.js';
import { UsageError } from '../../../src/errors.js';
import type { AgentRequest } from '../../../src/runtime/ports.js';

const request = (agent: string): AgentRequest => ({ agent, prompt: 'p', system: undefined, model: undefined, context: [], skills: [], permissions: {}, timeoutMs: undefined, memory: undefined, logName: `session-${agent}` });
const io = () => ({ signal: new AbortController().signal, onOutput: () => {} });

describe('scripted answers with file edits', () => {
  it('writes and deletes files through the editor, in the order given, and reports them', async () => {
    const edits: [string, string | null][] = [];
    const out: string[] = [];
    const agent = new ScriptedAgent(parseAnswers({ builder: [{ output: 'done', files: { 'src/a.js': 'x', 'old.txt': null } }] }), async () => {}, (p, c) => void edits.push([p, c]));
    const result = await agent.run(request('builder'), { ...io(), onOutput: (c: string) => void out.push(c) });
    expect(result).toMatchObject({ ok: true, text: 'done' });
    expect(edits).toEqual([
      ['src/a.js', 'x'],
      ['old.txt', null],
    ]);
    expect(out.join('')).toBe('wrote src/a.js\ndeleted old.txt\ndone\n');
  });

  it('refuses paths outside the project when the answers are read', () => {
    expect(() => parseAnswers({ builder: { files: { '../escape.js': 'x' } } })).toThrow(UsageError);
    expect(() => parseAnswers({ builder: { files: { '/etc/passwd': 'x' } } })).toThrow("'/etc/passwd' must be a relative path inside the project");
    expect(() => parseAnswers({ builder: { files: { 'a.js': 3 } } })).toThrow("expected text or null");
  });

  it('says so when a run that cannot write files meets an edit', async () => {
    const agent = new ScriptedAgent(parseAnswers({ builder: { files: { 'a.js': 'x' } } }), async () => {});
    await expect(agent.run(request('builder'), io())).rejects.toThrow('cannot write them');
  });
});

describe('checking the answers file', () => {
  it.each([
    [{ '*': { fail: true } }, 'answers.yaml: *.fail: expected text, got true'],
    [{ default: [{ output: ['a'] }] }, 'answers.yaml: default[0].output: expected text, got a list'],
    [{ default: { 2: { output: null } } }, 'answers.yaml: default.2.output: expected text, got nothing'],
    [{ builder: [{ delay_ms: 'soon' }] }, 'answers.yaml: builder[0].delay_ms: expected milliseconds (a number, 0 or more), got "soon"'],
    [{ builder: { delay_ms: -5 } }, 'answers.yaml: builder.delay_ms: expected milliseconds (a number, 0 or more), got -5'],
    [{ builder: { exit_code: 1.5 } }, 'answers.yaml: builder.exit_code: expected a whole number, got 1.5'],
    [{ builder: { cost_usd: '$1' } }, 'answers.yaml: builder.cost_usd: expected dollars (a number, 0 or more), got "$1"'],
    [{ builder: { session_id: 7 } }, 'answers.yaml: builder.session_id: expected text, got 7'],
    [{ builder: [['a']] }, 'answers.yaml: builder[0]: expected a reply (text) or a mapping of output, fail, exit_code, delay_ms, cost_usd, session_id, files, got a list'],
    [['a'], 'answers.yaml: expected a mapping of agent names to answers, got a list'],
  ])('refuses %j, naming the file and the key', (data, message) => {
    let thrown: unknown;
    try {
      parseAnswers(data, 'answers.yaml');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as Error).message).toBe(message);
  });

  it('reads a number or yes/no reply as its text, as YAML wrote it', async () => {
    const agent = new ScriptedAgent(parseAnswers({ a: [42, { output: true }] }), async () => {});
    expect((await agent.run(request('a'), io())).text).toBe('42');
    expect((await agent.run(request('a'), io())).text).toBe('true');
  });
});
