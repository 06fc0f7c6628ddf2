import type { PromptAnswer, PromptRequest } from './run-store.js';

export interface PromptState {
  selected: number;
  /** Typing a line: an input's value, or the feedback of an option like "Modify". */
  typing: boolean;
  text: string;
  answer: PromptAnswer | undefined;
}

/** The keys the prompt reads (a subset of Ink's `Key`). */
export interface PromptKey {
  upArrow?: boolean;
  downArrow?: boolean;
  tab?: boolean;
  return?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

export function initialPrompt(request: PromptRequest): PromptState {
  return { selected: 0, typing: request.kind === 'text', text: '', answer: undefined };
}

/** One key press: pure, so the prompt's behaviour is tested without a terminal. */
export function pressKey(state: PromptState, request: PromptRequest, input: string, key: PromptKey): PromptState {
  if (state.answer !== undefined) return state;
  const option = request.options[state.selected] ?? '';
  if (state.typing) {
    if (key.return === true) return { ...state, answer: request.kind === 'text' ? { value: state.text, feedback: '' } : { value: option, feedback: state.text } };
    if (key.backspace === true || key.delete === true) return { ...state, text: state.text.slice(0, -1) };
    if (key.ctrl !== true && key.meta !== true && input !== '') return { ...state, text: state.text + input };
    return state;
  }
  const count = request.options.length;
  if (key.upArrow === true) return { ...state, selected: (state.selected + count - 1) % count };
  if (key.downArrow === true || key.tab === true) return { ...state, selected: (state.selected + 1) % count };
  if (/^[1-9]$/.test(input) && Number(input) <= count) return { ...state, selected: Number(input) - 1 };
  if (key.return === true) return request.feedbackFor.includes(option) ? { ...state, typing: true } : { ...state, answer: { value: option, feedback: '' } };
  return state;
}

/**
 * A chunk of input: a terminal delivers pasted or quickly typed text ("ada\r") as one chunk,
 * which Ink reports as plain input; each character is a key press of its own, Enter included.
 */
export function pressKeys(state: PromptState, request: PromptRequest, input: string, key: PromptKey): PromptState {
  if (input.length <= 1 || key.ctrl === true || key.meta === true) return pressKey(state, request, input, key);
  let next = state;
  for (const char of input) next = char === '\r' || char === '\n' ? pressKey(next, request, '', { return: true }) : pressKey(next, request, char, {});
  return next;
}
