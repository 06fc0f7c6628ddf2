import { describe, expect, it } from 'vitest';
import { answerHint } from '../../../src/cli/answer-hint.js';

describe('answerHint', () => {
  it('says which option approve and reject pick, and how to pick the others', () => {
    expect(answerHint({ id: 12, inputs: { options: ['Yes', 'No', 'Modify'] } })).toBe('choiros approve 12 (Yes) | choiros reject 12 (No) | choiros approve 12 --option Modify [--feedback TEXT]');
  });

  it('tells a run stuck on the same failure that approving keeps it trying', () => {
    expect(answerHint({ id: 19, inputs: { prompt: 'Keep trying?', options: ['Continue', 'Stop'] } })).toBe('choiros approve 19 (Continue) | choiros reject 19 (Stop) [--feedback TEXT]');
  });

  it('never offers an option that asks for words as the reject: [Yes, Modify] is rejected with No', () => {
    expect(answerHint({ id: 12, inputs: { options: ['Yes', 'Modify'] } })).toBe('choiros approve 12 (Yes) | choiros reject 12 (No) | choiros approve 12 --option Modify [--feedback TEXT]');
  });

  it('reads a gate recorded without its options as yes or no', () => {
    expect(answerHint({ id: 3, inputs: null })).toBe('choiros approve 3 (Yes) | choiros reject 3 (No) [--feedback TEXT]');
  });
});
