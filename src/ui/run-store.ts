import type { RunEvent } from '../runtime/events.js';
import { initialView, reduceView, type RunViewState } from './run-view-model.js';

/** A question put to the person at the terminal: pick an option (gates) or type a value (inputs). */
export interface PromptRequest {
  id: number;
  kind: 'choice' | 'text';
  title: string;
  options: readonly string[];
  /** Options that ask for a line of feedback once picked (`Modify`). */
  feedbackFor: readonly string[];
  /** Unanswered after this long, the prompt answers with `fallback` (or gives up when there is none). */
  timeoutMs: number | undefined;
  fallback: string | undefined;
}

export interface PromptAnswer {
  value: string;
  feedback: string;
}

export interface RunScreenState {
  view: RunViewState;
  prompt: PromptRequest | undefined;
}

/**
 * The run view's state outside React: the engine's events and prompts go in, the screen
 * subscribes. One store per run; the screen re-renders only when it changes.
 */
export class RunStore {
  private state: RunScreenState;
  private readonly listeners = new Set<() => void>();
  private pending: { id: number; resolve: (answer: PromptAnswer | undefined) => void } | undefined;
  private nextId = 1;

  constructor(private readonly now: () => number = Date.now) {
    this.state = { view: initialView(now()), prompt: undefined };
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly snapshot = (): RunScreenState => this.state;

  readonly dispatch = (event: RunEvent): void => {
    this.set({ ...this.state, view: reduceView(this.state.view, event, this.now()) });
  };

  /** Shows a prompt and resolves with the answer, or undefined when it times out without a fallback or is cancelled. */
  ask(request: Omit<PromptRequest, 'id'>, signal: AbortSignal): Promise<PromptAnswer | undefined> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const onAbort = () => this.answer(id, undefined);
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending = {
        id,
        resolve: (answer) => {
          signal.removeEventListener('abort', onAbort);
          resolve(answer);
        },
      };
      this.set({ ...this.state, prompt: { ...request, id } });
    });
  }

  answer(id: number, answer: PromptAnswer | undefined): void {
    if (this.pending?.id !== id) return;
    const { resolve } = this.pending;
    this.pending = undefined;
    this.set({ ...this.state, prompt: undefined });
    resolve(answer);
  }

  private set(state: RunScreenState): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}
