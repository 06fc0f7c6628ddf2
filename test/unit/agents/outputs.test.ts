import { describe, expect, it } from 'vitest';
import { claudeLiveLines, parseClaudeStream } from '../../../src/agents/claude-stream.js';
import { codexLiveLines, parseCodexJson } from '../../../src/agents/codex-json.js';
import { judgePrompt, readAnswer } from '../../../src/agents/judge.js';
import { parseAnswers } from '../../../src/agents/scripted.js';
import type { Question } from '../../../src/runtime/ports.js';

const stream = [
  '{"type":"system","subtype":"init","session_id":"abc-123","tools":["Bash"]}',
  '{"type":"assistant","message":{"content":[{"type":"text","text":"Looking at the tests."},{"type":"tool_use","name":"Bash","input":{"command":"npm test"}}]}}',
  '{"type":"user","message":{"content":[{"type":"tool_result","content":"ok"}]}}',
  '{"type":"assistant","message":{"content":[{"type":"text","text":"All green."}]}}',
  '{"type":"result","subtype":"success","is_error":false,"result":"Done: 3 files changed.","session_id":"abc-123","total_cost_usd":0.0421}',
].join('\n');

describe('claude stream-json', () => {
  it('reads the final result, its cost and the session id', () => {
    expect(parseClaudeStream(stream)).toEqual({ text: 'Done: 3 files changed.', costUsd: 0.0421, sessionId: 'abc-123', error: undefined });
  });

  it('shows the assistant words and tool calls while it runs', () => {
    expect(stream.split('\n').flatMap(claudeLiveLines)).toEqual(['Looking at the tests.', '→ Bash: npm test', 'All green.', '✓ done ($0.0421)']);
  });

  it('reports an error result, and falls back to plain text when the output is not JSON', () => {
    expect(parseClaudeStream('{"type":"result","subtype":"error_max_turns","is_error":true,"session_id":"s"}').error).toBe('claude reported error_max_turns');
    expect(parseClaudeStream('plain answer\n')).toEqual({ text: 'plain answer', costUsd: undefined, sessionId: undefined, error: undefined });
  });
});

describe('codex --json', () => {
  const lines = [
    '{"type":"thread.started","thread_id":"t-1"}',
    '{"type":"item.completed","item":{"id":"i0","type":"command_execution","command":"ls","exit_code":0}}',
    '{"type":"item.completed","item":{"id":"i1","type":"agent_message","text":"Fixed it."}}',
    '{"type":"turn.completed","usage":{"input_tokens":10}}',
  ];
  it('reads the last agent message and the thread id', () => {
    expect(parseCodexJson(lines.join('\n'))).toEqual({ text: 'Fixed it.', costUsd: undefined, sessionId: 't-1', error: undefined });
    expect(lines.flatMap(codexLiveLines)).toEqual(['→ ls (exit 0)', 'Fixed it.']);
  });

  it('reads the older msg events and failures', () => {
    expect(parseCodexJson('{"msg":{"type":"agent_message","message":"old style"}}').text).toBe('old style');
    expect(parseCodexJson('{"type":"turn.failed","error":{"message":"quota"}}').error).toBe('quota');
  });
});

describe('the judge', () => {
  const yesNo: Question = { kind: 'yes-no', site: '3:4', iteration: 1, text: 'the tests pass', bindings: new Map([['result', 'ok']]), fallback: false };
  const pick: Question = { kind: 'pick', site: '9:1', iteration: 0, text: 'which format', bindings: new Map(), options: ['Short', 'Long form'] };

  it('asks strictly, with the current bindings', () => {
    expect(judgePrompt(yesNo, false)).toBe('Answer with exactly one word: yes or no.\n\nQuestion: the tests pass\n\nWhat the program knows now:\n- result = ok');
    expect(judgePrompt(pick, true)).toBe('Your previous answer could not be read. Answer with exactly one of these options, as written: "Short", "Long form".\n\nQuestion: which format');
  });

  it('reads yes/no and an option, and nothing else', () => {
    expect(readAnswer(yesNo, '**Yes.**')).toBe(true);
    expect(readAnswer(yesNo, 'no')).toBe(false);
    expect(readAnswer(yesNo, 'maybe')).toBeUndefined();
    expect(readAnswer(pick, '"long form"')).toBe('Long form');
    expect(readAnswer(pick, 'Medium')).toBeUndefined();
  });
});

describe('scripted answers', () => {
  it('reads lists, numbered calls and single answers, and refuses unknown keys', () => {
    const answers = parseAnswers({ a: ['x', { fail: 'no' }], b: { 2: 'second', '*': 'rest' }, c: 'always' });
    expect(answers.get('a')).toEqual([{ output: 'x' }, { fail: 'no' }]);
    expect(answers.get('b')).toEqual(new Map([['2', { output: 'second' }], ['*', { output: 'rest' }]]));
    expect(answers.get('c')).toEqual({ output: 'always' });
    expect(() => parseAnswers({ a: { outptu: 'typo' } })).toThrow('scripted answers: a: unknown key outptu');
  });
});
