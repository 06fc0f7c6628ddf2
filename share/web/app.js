// The dashboard: one run at a time (the latest, followed as new runs start, or the one chosen),
// drawn from GET /runs/{id}, then kept current by the event stream alone — no polling.
import { ApiError, request, runPath } from './api.js';
import { isGoing, latestRunId } from './format.js';
import { appendLog, clearLog, h, renderElapsed, renderTasks, renderView, upsertTask } from './render.js';
import { openStream } from './stream.js';

const $ = (id) => document.getElementById(id);

const state = {
  runId: null,
  /** Follow the newest run as runs start (no ?run= in the address). */
  follow: true,
  view: null,
  canWrite: false,
  /** Server clock minus page clock, so elapsed times tick from the server's "now". */
  skew: 0,
  lastSeq: 0,
  closeStream: null,
  /** Tasks a streamed event changed, to be read again (`GET /agents/tasks/{id}`) for the task table. */
  staleTasks: new Set(),
  /** Tasks being read now: one read per task at a time, so an older answer never lands last. */
  readingTasks: new Set(),
  taskTimer: null,
};

/** Events that change a task's row: its creation, its status, its answer, its retry. */
const TASK_EVENTS = new Set(['task.created', 'task.transition', 'task.approval', 'task.retry']);

const now = () => Date.now() + state.skew;

function notice(text) {
  $('notice').textContent = text ?? '';
  $('notice').hidden = text === null || text === undefined;
}

function say(id, text, isError = false) {
  $(id).textContent = text;
  $(id).classList.toggle('error', isError);
}

function explain(error) {
  if (error instanceof ApiError && error.status === 401) return 'Sign in first: open the one-time link that `choiros serve` printed, or sign in with the token.';
  return error instanceof Error ? error.message : String(error);
}

function show(view) {
  state.view = view;
  state.skew = Date.parse(view.at) - Date.now();
  renderView(view, { now: now(), canWrite: state.canWrite });
}

async function loadSession() {
  const session = await request('GET', '/session');
  state.canWrite = session.can_write;
  const auth = $('auth');
  if (session.signed_in) {
    const out = h('button', { type: 'button', class: 'secondary', text: 'Sign out' });
    out.addEventListener('click', async () => {
      await request('POST', '/logout');
      location.reload();
    });
    auth.replaceChildren(h('span', { class: 'muted', text: 'Signed in ' }), out);
  } else auth.replaceChildren(h('a', { href: '/login', text: 'Sign in to approve and control' }));
}

async function loadRuns() {
  const { items } = await request('GET', '/runs?limit=50');
  const select = $('run-select');
  const options = items.map((run) => h('option', { value: run.id, text: `${run.id} · ${run.status_text}` }));
  select.replaceChildren(h('option', { value: '', text: 'Follow the latest run' }), ...options);
  if (!state.follow && state.runId !== null && !items.some((r) => r.id === state.runId)) select.append(h('option', { value: state.runId, text: state.runId }));
  select.value = state.follow ? '' : (state.runId ?? '');
  return items;
}

/**
 * Reads the tasks streamed events changed, once each however many events came for it (the
 * events say that a task changed, the task says what it now is: its excerpt, its outputs).
 */
function readStaleTasks() {
  state.taskTimer = null;
  const runId = state.runId;
  for (const id of [...state.staleTasks]) {
    if (state.readingTasks.has(id)) continue;
    state.staleTasks.delete(id);
    state.readingTasks.add(id);
    request('GET', `/agents/tasks/${id}`)
      .then((task) => {
        if (state.runId === runId && task.run_id === runId) upsertTask(task);
      })
      .catch(() => undefined)
      .finally(() => {
        state.readingTasks.delete(id);
        if (state.staleTasks.has(id)) taskChanged(id);
      });
  }
}

function taskChanged(id) {
  state.staleTasks.add(id);
  state.taskTimer ??= setTimeout(readStaleTasks, 50);
}

function onEvent(event) {
  state.lastSeq = Math.max(state.lastSeq, event.seq);
  if (event.run_id === state.runId) appendLog([event], { fresh: true });
  if (event.run_id === state.runId && event.task_id !== null && TASK_EVENTS.has(event.type)) taskChanged(event.task_id);
  if (event.type === 'run.started' || event.type === 'run.finished') {
    loadRuns().catch(() => undefined);
    if (event.type === 'run.started' && state.follow && event.run_id !== state.runId) openRun(event.run_id).catch((e) => notice(explain(e)));
  }
}

function onPlay(view) {
  if (view.run.id === state.runId) show(view);
}

function setConnection(connection) {
  const pill = $('connection');
  pill.dataset.state = connection;
  pill.textContent = { live: 'live', connecting: 'connecting…', reconnecting: 'reconnecting…', offline: 'offline' }[connection] ?? connection;
}

/** Shows a run: its snapshot, then its stream from just after the snapshot (no gap, no repeat). */
async function openRun(runId) {
  state.closeStream?.();
  state.closeStream = null;
  if (runId === null) {
    $('run').hidden = true;
    $('empty').hidden = false;
    // Still listen: the first run to start is shown as soon as it does.
    state.closeStream = openStream(() => (state.lastSeq === 0 ? '/events' : `/events?after=${state.lastSeq}`), { onEvent, onPlay, onState: setConnection });
    return;
  }
  const view = await request('GET', `${runPath(runId)}`);
  state.runId = runId;
  state.lastSeq = view.last_seq;
  state.staleTasks.clear();
  clearLog();
  show(view);
  renderTasks(view.tasks);
  appendLog(view.history);
  state.closeStream = openStream(() => `/events?run_id=${encodeURIComponent(runId)}&after=${state.lastSeq}`, { onEvent, onPlay, onState: setConnection });
}

/** The gate's answer from the button pressed: approve or reject, and the option it names. */
async function answer(button) {
  const action = button?.value === 'reject' ? 'reject' : 'approve';
  const option = button?.dataset.option ?? null;
  const feedback = $('gate-feedback').value.trim();
  if (button?.dataset.needsFeedback === 'true' && feedback === '') {
    say('gate-message', `${option} needs feedback: say what the agent should change, then press ${option} again.`, true);
    $('gate-feedback').focus();
    return;
  }
  const body = { task: Number($('gate-task').value), by: $('gate-by').value.trim() || null, feedback: feedback || null, ...(option === null ? {} : { option }) };
  if (body.by !== null) localStorage.setItem('choiros.by', body.by);
  const buttons = [...$('gate-form').querySelectorAll('button')];
  buttons.forEach((b) => {
    b.disabled = true;
    b.dataset.busy = 'true';
  });
  try {
    const result = await request('POST', runPath(state.runId, action), body);
    const what = button?.dataset.says ?? (action === 'approve' ? 'Approved' : 'Rejected');
    say('gate-message', `${what} task ${result.task.id}. ${result.note}`);
    $('gate-feedback').value = '';
  } catch (error) {
    say('gate-message', explain(error), true);
    buttons.forEach((b) => (b.disabled = !state.canWrite));
  } finally {
    buttons.forEach((b) => delete b.dataset.busy);
  }
}

/** Cancels the run once the dialog confirms it: never on one click. */
async function cancelRun() {
  const dialog = $('cancel-dialog');
  $('cancel-yes').disabled = true;
  try {
    const result = await request('POST', runPath(state.runId, 'cancel'), { by: localStorage.getItem('choiros.by') || null });
    const ended = result.ended.length > 0 ? ` The processes its agents left running were ended (pid ${result.ended.join(', ')}).` : '';
    say('control-message', result.cancelled ? `Cancelled: no process was running the run (it was waiting).${ended}` : 'Cancel requested: the run stops its agents and is recorded as cancelled.');
  } catch (error) {
    say('control-message', explain(error), true);
  } finally {
    $('cancel-yes').disabled = false;
    dialog.close();
  }
}

async function control(action) {
  try {
    const result = await request('POST', runPath(state.runId, action), { by: localStorage.getItem('choiros.by') || null });
    const text =
      action === 'pause'
        ? 'Pause requested: the run pauses after its current step.'
        : result.continued !== null
          ? `Resumed: prose resume started in the background (pid ${result.continued.pid}).`
          : result.next === null
            ? 'Resume requested: the run carries on.'
            : `Resume requested. Continue the run with ${result.next}.`;
    say('control-message', text);
  } catch (error) {
    say('control-message', explain(error), true);
  }
}

function wire() {
  $('gate-by').value = localStorage.getItem('choiros.by') ?? '';
  $('gate-form').addEventListener('submit', (event) => {
    event.preventDefault();
    answer(event.submitter);
  });
  $('pause').addEventListener('click', () => control('pause'));
  $('resume').addEventListener('click', () => control('resume'));
  $('cancel').addEventListener('click', () => $('cancel-dialog').showModal());
  $('cancel-no').addEventListener('click', () => $('cancel-dialog').close());
  $('cancel-yes').addEventListener('click', () => cancelRun());
  $('run-select').addEventListener('change', (event) => {
    const chosen = event.target.value;
    state.follow = chosen === '';
    history.replaceState(null, '', chosen === '' ? '/' : `/?run=${encodeURIComponent(chosen)}`);
    loadRuns()
      .then((runs) => openRun(chosen === '' ? latestRunId(runs) : chosen))
      .catch((e) => notice(explain(e)));
  });
  // The page's own clock moves the elapsed time; the server is asked nothing.
  setInterval(() => {
    if (state.view !== null && isGoing(state.view.run)) renderElapsed(state.view, now());
  }, 1000);
}

async function start() {
  wire();
  try {
    await loadSession();
    const chosen = new URLSearchParams(location.search).get('run');
    state.follow = chosen === null;
    if (chosen !== null) state.runId = chosen;
    const runs = await loadRuns();
    await openRun(chosen ?? latestRunId(runs));
  } catch (error) {
    notice(explain(error));
  }
}

start();
