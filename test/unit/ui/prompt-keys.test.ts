import { describe, expect, it } from 'vitest';
import { initialPrompt, pressKey, pressKeys, type PromptKey } from '../../../src/ui/prompt-keys.js';
import type { PromptRequest } from '../../../src/ui/run-store.js';

const gate: PromptRequest = { id: 1, kind: 'choice', title: 'Deploy?', options: ['Yes', 'No', 'Modify'], feedbackFor: ['Modify'], timeoutMs: undefined, fallback: undefined };
const keys = (request: PromptRequest, presses: Array<[string, PromptKey]>) => presses.reduce((s, [input, key]) => pressKey(s, request, input, key), initialPrompt(request));

describe('prompt keys', () => {
  it('moves the selection around the options and answers with Enter', () => {
    expect(keys(gate, [['', { upArrow: true }]]).selected).toBe(2);
    expect(keys(gate, [['', { downArrow: true }], ['', { return: true }]]).answer).toEqual({ value: 'No', feedback: '' });
  });

  it('asks for feedback after an option that wants it, with backspace', () => {
    const state = keys(gate, [['3', {}], ['', { return: true }], ['tabz', {}], ['', { backspace: true }], ['s', {}], ['', { return: true }]]);
    expect(state.answer).toEqual({ value: 'Modify', feedback: 'tabs' });
  });

  it('reads a line of text for an input and ignores keys after the answer', () => {
    const input: PromptRequest = { ...gate, kind: 'text', options: [] };
    expect(keys(input, [['api', {}], ['', { return: true }], ['x', {}]]).answer).toEqual({ value: 'api', feedback: '' });
  });

  it('reads a chunk of typed or pasted text key by key, Enter included', () => {
    const input: PromptRequest = { ...gate, kind: 'text', options: [] };
    expect(pressKeys(initialPrompt(input), input, 'ada\r', {}).answer).toEqual({ value: 'ada', feedback: '' });
    expect(pressKeys(initialPrompt(gate), gate, '3\rtabs\r', {}).answer).toEqual({ value: 'Modify', feedback: 'tabs' });
  });
});
