// Draws a run's view into the page. Everything from the ledger goes in as text (textContent),
// never as HTML: task names and agent output come from programs, not from us.
import { clock, duration, gateButtons, isFinished, isGoing, percent, safeHref, stageLabel, ticking, tone } from './format.js';

const $ = (id) => document.getElementById(id);

/** A DOM element: `h('li', { class: 'x', text: 'y' }, child…)`. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    // Through the CSSOM: the page's CSP forbids style attributes.
    else if (key === 'style') Object.assign(el.style, value);
    else el.setAttribute(key, value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

function setTone(el, value) {
  el.className = el.className.replace(/\btone-\S+/g, '').trim();
  el.classList.add(`tone-${tone(value)}`);
}

function setText(id, text, toneValue) {
  const el = $(id);
  el.textContent = text;
  if (toneValue !== undefined) setTone(el, toneValue);
}

/** The stages as the terminal dashboard shows them: a stage its run stopped in reads Stopped, and its time stands. */
function renderStages(stages, { at, going }, now) {
  const items = stages.map((s) => {
    const shown = s.shown_status ?? s.status;
    const { symbol, words } = stageLabel(shown);
    const live = shown === 'active' || shown === 'waiting';
    const took = ticking(s.duration_ms, at, going && live, now);
    const share = s.status === 'done' || s.status === 'skipped' ? 1 : (live || shown === 'stopped') && s.expected_ms && took !== null ? Math.min(0.95, took / s.expected_ms) : 0;
    const meta = [s.agent, took === null ? null : duration(took), s.expected_ms === null ? null : `typical ${duration(s.expected_ms)}`, s.retries > 0 ? `${s.retries} retr${s.retries === 1 ? 'y' : 'ies'}` : null].filter(Boolean).join(' · ');
    return h(
      'li',
      { class: `stage tone-${tone(shown)}`, 'data-stage': s.name, 'aria-current': live ? 'step' : null },
      h('span', { class: 'stage-name', text: s.name }),
      h('span', { class: `stage-status tone-${tone(shown)}`, text: `${symbol} ${words}` }),
      h('div', { class: 'stage-meta', text: meta || '\u00a0' }),
      h('div', { class: 'bar-track', 'aria-hidden': 'true' }, h('div', { class: 'bar-fill', style: { width: `${Math.round(share * 100)}%` } })),
    );
  });
  $('stages').replaceChildren(...(items.length > 0 ? items : [h('li', { class: 'muted', text: 'No play recorded yet: the runner writes its stages when the run starts.' })]));
}

function renderAgents(agents) {
  const items = agents.map((a) => {
    const current = a.current;
    const status = current === null ? '' : `${current.status.replace('_', ' ')}${current.attempt > 1 ? ` · attempt ${current.attempt}` : ''}${current.stage === null ? '' : ` · ${current.stage}`}`;
    const counts = `${a.tasks} task${a.tasks === 1 ? '' : 's'}${a.failed > 0 ? ` · ${a.failed} failed` : ''}${a.retries > 0 ? ` · ${a.retries} retr${a.retries === 1 ? 'y' : 'ies'}` : ''}`;
    return h(
      'li',
      { class: 'agent', 'data-agent': a.agent },
      h('div', { class: 'agent-head' }, h('span', { class: 'agent-name', text: a.agent }), h('span', { class: `tone-${tone(current?.status)}`, text: status })),
      h('div', { class: 'muted', text: counts }),
      a.last_line === null ? null : h('div', { class: 'agent-line', title: a.last_line, text: a.last_line }),
    );
  });
  $('agents').replaceChildren(...(items.length > 0 ? items : [h('li', { class: 'muted', text: 'No agent has run yet.' })]));
}

function renderDeviations(deviations) {
  const sorted = [...deviations].sort((a, b) => Number(b.open) - Number(a.open));
  const items = sorted.map((d) =>
    h('li', { class: `deviation${d.open ? ' open' : ''}` }, h('span', { class: 'kind', text: d.kind }), d.stage === null ? null : h('span', { class: 'muted', text: ` in ${d.stage}` }), h('div', { text: `${d.detail}${d.open ? '' : ' (closed)'}` })),
  );
  $('deviations').replaceChildren(...(items.length > 0 ? items : [h('li', { class: 'muted', text: 'None: the run follows its play.' })]));
}

/** The answer buttons of a gate (format.js `gateButtons` says which). */
function answerButtons(gate) {
  return gateButtons(gate).map((b) =>
    h('button', { type: 'submit', class: b.tone, value: b.action, 'data-option': b.option, 'data-needs-feedback': b.needsFeedback ? 'true' : null, 'data-says': b.says, text: b.needsFeedback ? `${b.label}…` : b.label }),
  );
}

/** The waiting gate, if any, with its own options as buttons. */
function renderGate(waiting, canWrite) {
  const gate = waiting[0];
  $('gate').hidden = gate === undefined;
  if (gate === undefined) return;
  const key = `${gate.id}:${gate.options.join('\u0000')}`;
  // Rebuilt only for another gate: a live update must not take the button from under a click.
  if ($('gate-actions').dataset.gate !== key) {
    $('gate-actions').dataset.gate = key;
    $('gate-actions').replaceChildren(...answerButtons(gate));
    $('gate-task').value = String(gate.id);
    $('gate-message').textContent = '';
    const needs = gate.needs_feedback;
    $('gate-feedback-need').textContent = needs.length > 0 ? `(needed for ${needs.join(', ')})` : '(optional)';
    $('gate-feedback-hint').hidden = needs.length === 0;
    $('gate-feedback-hint').textContent = needs.length > 0 ? `${needs.join(' or ')} needs feedback: say what the agent should change.` : '';
    const prompt = gate.inputs !== null && typeof gate.inputs === 'object' && typeof gate.inputs.prompt === 'string' ? gate.inputs.prompt : '';
    $('gate-prompt').hidden = prompt === '';
    $('gate-prompt').textContent = prompt;
  }
  const more = waiting.length > 1 ? ` (${waiting.length - 1} more waiting after it)` : '';
  $('gate-detail').textContent = `Task ${gate.id} · ${gate.task}${gate.stage === null ? '' : ` in stage ${gate.stage}`}${gate.outputs_uri === null ? '' : ` · ${gate.outputs_uri}`}${more}`;
  for (const button of $('gate-form').querySelectorAll('button')) {
    if (button.dataset.busy === 'true') continue;
    button.disabled = !canWrite;
    button.title = canWrite ? '' : 'Sign in to answer';
  }
}

/** Runs that stopped to wait for `prose resume`: a cancel finishes them on the spot. */
const STOPPED = new Set(['paused', 'awaiting_approval', 'stopped', 'interrupted']);

function renderControls(run, canWrite) {
  // An orchestrator's run (logged through the task API) is not driven by choiros: nothing would pause it.
  const external = run.origin === 'external';
  const paused = run.status === 'paused' || run.control === 'pause';
  $('pause').disabled = !canWrite || external || isFinished(run) || paused;
  $('resume').disabled = !canWrite || external || !paused;
  const cancellable = (run.finished_at === null || STOPPED.has(run.status)) && run.control !== 'cancel';
  $('cancel').disabled = !canWrite || external || !cancellable;
  for (const id of ['pause', 'resume', 'cancel']) $(id).title = external ? 'An external orchestrator drives this run' : canWrite ? '' : 'Sign in to use';
}

/** Updates the elapsed tile alone (once a second, from the page's clock: no request). */
export function renderElapsed(view, now) {
  setText('m-elapsed', duration(ticking(view.metrics.elapsed_ms, view.at, isGoing(view.run), now)));
}

export function renderView(view, { now, canWrite }) {
  const { run, play, metrics } = view;
  $('run').hidden = false;
  $('empty').hidden = true;
  $('run-title').textContent = run.id;
  const program = run.origin === 'external' ? 'logged by an external orchestrator' : (play.program ?? run.program);
  $('run-sub').textContent = [program, run.mode, play.repository, play.branch].filter(Boolean).join(' · ');
  setText('m-status', run.control === 'pause' && run.status === 'running' ? 'pausing' : run.status_text, run.status);
  setText('m-health', play.health, play.health);
  setText('m-progress', percent(play.progress));
  $('m-progress-bar').value = play.progress;
  renderElapsed(view, now);
  setText('m-eta', play.eta === null ? '—' : `${play.eta.basis === 'partial' ? '~' : ''}${duration(play.eta.remaining_ms)}`);
  setText('m-success', percent(metrics.success_rate));
  setText('m-iteration', metrics.iteration > 0 ? String(metrics.iteration) : '—');
  $('next').textContent = play.next_action === undefined ? '' : `Next: ${play.next_action.detail}`;
  renderGate(view.waiting, canWrite);
  renderControls(run, canWrite);
  $('cancel-dialog-run').textContent = run.id;
  renderStages(play.stages, { at: view.at, going: isGoing(run) }, now);
  renderAgents(view.agents);
  renderDeviations(play.deviations);
}

const MAX_LOG = 500;

/** Appends entries (`{seq, time, text}`) to the event log, keeping it scrolled to the end if it was. */
export function appendLog(entries, { fresh = false } = {}) {
  const log = $('log');
  const atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  for (const e of entries) {
    if (e.text === null || e.text === undefined) continue;
    log.append(h('li', { class: fresh ? 'fresh' : null, 'data-seq': String(e.seq) }, h('time', { datetime: e.time, text: clock(e.time) }), h('span', { text: e.text })));
  }
  while (log.childElementCount > MAX_LOG) log.firstElementChild.remove();
  if (atEnd) log.scrollTop = log.scrollHeight;
}

export function clearLog() {
  $('log').replaceChildren();
}

/** Task rows kept on the page: the newest this many. */
const MAX_TASKS = 500;

function cell(label, ...children) {
  return h('td', { 'data-label': label }, ...children);
}

/** One task as a table row; every value from the ledger goes in as text. */
function taskRow(t, wasOpen) {
  const href = safeHref(t.outputs_uri, location.href);
  const outputs = t.outputs_uri === null ? '—' : href === null ? h('span', { class: 'uri', text: t.outputs_uri }) : h('a', { href, rel: 'noopener noreferrer', target: '_blank', class: 'uri', text: t.outputs_uri });
  const excerpt = t.log_excerpt ?? '';
  const lines = excerpt === '' ? 0 : excerpt.split('\n').length;
  const log =
    excerpt === ''
      ? '—'
      : h('details', { class: 'excerpt', open: wasOpen ? '' : null }, h('summary', { text: `${lines} line${lines === 1 ? '' : 's'}` }), h('pre', { text: excerpt }));
  const status = `${t.status.replace('_', ' ')}${t.reason === null || t.reason === undefined ? '' : ` (${t.reason})`}`;
  return h(
    'tr',
    { 'data-task': String(t.id) },
    cell('Task', h('span', { class: 'task-name', text: t.task }), h('span', { class: 'muted', text: ` #${t.id}` })),
    cell('Status', h('span', { class: `tone-${tone(t.status)}`, text: status })),
    cell('Stage', t.stage ?? '—'),
    cell('Agent', t.agent ?? '—'),
    cell('Attempt', String(t.attempt)),
    cell('Duration', duration(t.duration_ms)),
    cell('Outputs', outputs),
    cell('Log', log),
  );
}

function countTasks() {
  const n = $('tasks-body').querySelectorAll('tr[data-task]').length;
  $('tasks-count').textContent = n === 0 ? '' : `(${n}${n >= MAX_TASKS ? ', the newest' : ''})`;
}

/** The run's tasks, newest first (a snapshot: `GET /runs/{id}`). */
export function renderTasks(tasks) {
  const rows = [...tasks].sort((a, b) => b.id - a.id).slice(0, MAX_TASKS).map((t) => taskRow(t, false));
  $('tasks-body').replaceChildren(...(rows.length > 0 ? rows : [h('tr', { class: 'none' }, h('td', { colspan: '8', class: 'muted', text: 'No tasks yet.' }))]));
  countTasks();
}

/** A task as it now stands: its row replaced (an open log stays open), or added in its place. */
export function upsertTask(t) {
  const body = $('tasks-body');
  const old = body.querySelector(`tr[data-task="${t.id}"]`);
  const row = taskRow(t, old?.querySelector('details')?.open === true);
  if (old !== null) old.replaceWith(row);
  else {
    body.querySelector('tr.none')?.remove();
    const after = [...body.children].find((r) => Number(r.dataset.task) < t.id);
    body.insertBefore(row, after ?? null);
    while (body.childElementCount > MAX_TASKS) body.lastElementChild.remove();
  }
  countTasks();
}
