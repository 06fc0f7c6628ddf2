import type { RunEvent } from '../runtime/events.js';
import { EMPTY_OUTLINE, type Outline } from './run-outline.js';
import { RunTree } from './run-tree.js';
import { fitRows } from './run-tree-fit.js';
import { rowTree } from './run-tree-rows.js';
import { addRows, initialView, reduceView, type RunViewState } from './run-view-model.js';

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
  /** Given by the prompt's timeout (the `on_timeout`/`default` answer), not by the person. */
  timedOut?: boolean;
}

export interface RunScreenState {
  view: RunViewState;
  /** The statement tree; `revision` changes whenever it does. */
  tree: RunTree;
  revision: number;
  prompt: PromptRequest | undefined;
}

export interface RunStoreOptions {
  now?: () => number;
  /** The program's statements; without it, steps are listed in the order they start. */
  outline?: Outline;
  /** The terminal's height, for the tree printed when the run ends. */
  rows?: () => number;
}

/** Events closer together than this are drawn together: agent output cannot cause a render storm. */
const BATCH_MS = 16;

/**
 * The run view's state outside React: the engine's events and prompts go in, the screen
 * subscribes. One store per run; the screen re-renders only when it changes, at most once per
 * batch of events.
 */
export class RunStore {
  private state: RunScreenState;
  private readonly listeners = new Set<() => void>();
  private pending: { id: number; resolve: (answer: PromptAnswer | undefined) => void } | undefined;
  private nextId = 1;
  private flush: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly rows: () => number;

  constructor(options: RunStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.rows = options.rows ?? (() => 24);
    const tree = new RunTree(options.outline ?? EMPTY_OUTLINE);
    this.state = { view: initialView(this.now()), tree, revision: tree.revision, prompt: undefined };
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly snapshot = (): RunScreenState => this.state;

  readonly dispatch = (event: RunEvent): void => {
    const now = this.now();
    const { tree } = this.state;
    const changed = tree.apply(event, now);
    let view = this.state.view;
    // The tree as the run ended goes above the result, printed once; the live tree is gone by then.
    if (event.type === 'run.finished' && !view.dryRun && tree.outline.roots.length + tree.loose.length > 0) view = addRows(view, fitRows(rowTree(tree, now), this.rows() - 4));
    view = reduceView(view, event, now);
    if (view !== this.state.view || changed) this.set({ ...this.state, view, revision: tree.revision }, event.type !== 'run.finished');
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

  private set(state: RunScreenState, batch = false): void {
    this.state = state;
    if (batch) {
      this.flush ??= setTimeout(() => this.notify(), BATCH_MS);
      return;
    }
    this.notify();
  }

  private notify(): void {
    clearTimeout(this.flush);
    this.flush = undefined;
    for (const listener of this.listeners) listener();
  }
}
