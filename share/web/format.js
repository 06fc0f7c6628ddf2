// Pure formatting for the dashboard: no DOM here, so these are tested under Node.

/** 65_000 → "1m 05s"; 900 → "0s"; null → "—". */
export function duration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${String(hours % 24).padStart(2, '0')}h`;
}

/** 0.4567 → "46%"; null → "—". */
export function percent(share) {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return `${Math.round(share * 100)}%`;
}

/** An ISO time as the local wall clock: "14:05:09". */
export function clock(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/**
 * A span the server measured at `at` (a run's elapsed time, a stage's duration), moved on by the
 * page's clock only while the run goes: a stopped run (waiting for approval, paused, at a limit)
 * does not count, and the server's figure already leaves out the time it stood stopped.
 */
export function ticking(ms, at, going, now) {
  if (ms === null || ms === undefined) return null;
  return going ? ms + Math.max(0, now - Date.parse(at)) : ms;
}

/** Whether a view's run goes on now (its clocks move): only a run its runner is running. */
export function isGoing(run) {
  return run.status === 'running' && run.finished_at === null;
}

/** Words and a symbol for a stage status, so status never rests on color alone. */
const STAGE = {
  pending: ['○', 'pending'],
  active: ['●', 'running'],
  waiting: ['‖', 'waiting for approval'],
  done: ['✓', 'done'],
  failed: ['✗', 'failed'],
  skipped: ['↷', 'skipped'],
  // A stage left active when its run stopped (`shown_status`), as the terminal dashboard shows it.
  stopped: ['■', 'stopped'],
};

export function stageLabel(status) {
  const [symbol, words] = STAGE[status] ?? ['?', String(status)];
  return { symbol, words };
}

/** `on track` → `on-track`: a class name for a health or status value. */
export function tone(value) {
  return String(value ?? 'unknown').replace(/[^a-z0-9]+/gi, '-').toLowerCase();
}

/** Run statuses that will not change again. */
export function isFinished(run) {
  return run.finished_at !== null && run.status !== 'paused';
}

/** The run a "follow the latest" view shows: the newest one. */
export function latestRunId(runs) {
  return runs.length === 0 ? null : runs[0].id;
}

/**
 * The answer buttons of a waiting gate, drawn from what the server sends with it (`options`,
 * `no_option`, `needs_feedback`; src/runtime/gate-options.ts reads them for the CLI and the API
 * too): Approve / Reject for a plain Yes / No gate, else one per option — the no-option rejects,
 * the others approve naming themselves — plus the no-option when the gate does not list it
 * ([Yes, Modify] is answered no with "No"). `says` is how the page reports the answer.
 */
export function gateButtons(gate) {
  const { options, no_option: no, needs_feedback: needs } = gate;
  const reject = (label) => ({ label, action: 'reject', option: null, needsFeedback: false, tone: 'reject', says: 'Rejected' });
  if (options.length === 2 && /^yes$/i.test(options[0]) && /^no$/i.test(options[1])) {
    return [{ label: 'Approve', action: 'approve', option: null, needsFeedback: false, tone: 'approve', says: 'Approved' }, reject('Reject')];
  }
  const buttons = options.map((option, i) =>
    option === no ? reject(option) : { label: option, action: 'approve', option, needsFeedback: needs.includes(option), tone: i === 0 ? 'approve' : 'option', says: `Answered ${option} to` },
  );
  return options.includes(no) ? buttons : [...buttons, reject(no)];
}

/**
 * The href to give a task's `outputs_uri`, or null to show it as text: an http(s) URL, or a
 * relative path (resolved against `base`, the page). Resolved the way the browser would resolve
 * it — tabs, newlines and leading spaces dropped — so `java\tscript:` and ` javascript:` are
 * caught, and anything else (javascript:, data:, file:, s3://) stays text.
 */
export function safeHref(uri, base) {
  if (typeof uri !== 'string' || uri.trim() === '') return null;
  let url;
  try {
    url = new URL(uri, base);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}
