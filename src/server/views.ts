/**
 * The JSON the API answers with: the seed API's snake_case field names, so orchestrators written
 * against it read choiros unchanged. The `outputs` a run replays on resume stay internal.
 */
import type { StoredEvent } from '../ledger/model.js';
import { timeline } from '../play/timeline.js';

export { runJson, taskJson, type TaskJson } from '../ledger/pages.js';

/** A ledger event as it goes over SSE: its place in the stream, a line for people, and its data. */
export function eventJson(e: StoredEvent) {
  const { type, ...data } = e.event;
  return { seq: e.seq, run_id: e.runId, task_id: e.taskId, time: e.time, type, text: timeline([e])[0]?.text ?? null, data };
}
export type EventJson = ReturnType<typeof eventJson>;
