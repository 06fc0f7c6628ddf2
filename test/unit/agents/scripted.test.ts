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
