/**
 * The JSON the API answers with: the seed API's snake_case field names, so orchestrators written
 * against it read choiros unchanged. The `outputs` a run replays on resume stay internal.
 */
import type { Run, StoredEvent } from '../ledger/model.js';
import { timeline } from '../play/timeline.js';

export { taskJson, type TaskJson } from '../ledger/pages.js';

export function runJson(r: Run) {
  return {
    id: r.id,
    program: r.program,
    mode: r.mode,
    args: r.args,
    status: r.status,
    reason: r.reason,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
    pid: r.pid,
    control: r.control,
    origin: r.origin,
  };
}

/** A ledger event as it goes over SSE: its place in the stream, a line for people, and its data. */
export function eventJson(e: StoredEvent) {
  const { type, ...data } = e.event;
  return { seq: e.seq, run_id: e.runId, task_id: e.taskId, time: e.time, type, text: timeline([e])[0]?.text ?? null, data };
}
export type EventJson = ReturnType<typeof eventJson>;
