/**
 * The JSON the API answers with: the seed API's snake_case field names, so orchestrators written
 * against it read choiros unchanged. The `outputs` a run replays on resume stay internal.
 */
import type { StoredEvent, Task } from '../ledger/model.js';
import { taskJson } from '../ledger/pages.js';
import { timeline } from '../play/timeline.js';
import { gateChoices } from '../runtime/gate-options.js';

export { runJson, taskJson, type TaskJson } from '../ledger/pages.js';

/**
 * A gate waiting for a human, with what the page draws from it: its options, the one a reject
 * picks (`no_option`, which a gate such as [Yes, Modify] does not list) and those that need
 * feedback — read here, as the CLI and the API read them, so the page has no copy of the rule.
 */
export function waitingJson(task: Task) {
  const choices = gateChoices(task.inputs);
  return { ...taskJson(task), options: choices.options, no_option: choices.noOption, needs_feedback: choices.needsFeedback };
}

/** A ledger event as it goes over SSE: its place in the stream, a line for people, and its data. */
export function eventJson(e: StoredEvent) {
  const { type, ...data } = e.event;
  return { seq: e.seq, run_id: e.runId, task_id: e.taskId, time: e.time, type, text: timeline([e])[0]?.text ?? null, data };
}
export type EventJson = ReturnType<typeof eventJson>;
