// Draws a run's view into the page. Everything from the ledger goes in as text (textContent),
// never as HTML: task names and agent output come from programs, not from us.
import { clock, duration, elapsed, isFinished, percent, stageLabel, tone } from './format.js';

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

function renderStages(stages, now) {
  const items = stages.map((s) => {
    const { symbol, words } = stageLabel(s.status);
    const live = s.status === 'active' || s.status === 'waiting';
    const took = live && s.started_at !== null ? now - Date.parse(s.started_at) : s.duration_ms;
    const share = s.status === 'done' || s.status === 'skipped' ? 1 : live && s.expected_ms ? Math.min(0.95, took / s.expected_ms) : 0;
    const meta = [s.agent, took === null ? null : duration(took), s.expected_ms === null ? null : `typical ${duration(s.expected_ms)}`, s.retries > 0 ? `${s.retries} retr${s.retries === 1 ? 'y' : 'ies'}` : null].filter(Boolean).join(' · ');
    return h(
      'li',
      { class: `stage tone-${tone(s.status)}`, 'data-stage': s.name, 'aria-current': live ? 'step' : null },
      h('span', { class: 'stage-name', text: s.name }),
      h('span', { class: `stage-status tone-${tone(s.status)}`, text: `${symbol} ${words}` }),
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

/** The waiting gate, if any; returns whether one is shown. */
function renderGate(waiting, canWrite) {
  const gate = waiting[0];
  $('gate').hidden = gate === undefined;
  if (gate === undefined) return;
  if ($('gate-task').value !== String(gate.id)) {
    $('gate-task').value = String(gate.id);
    $('gate-message').textContent = '';
  }
  const more = waiting.length > 1 ? ` (${waiting.length - 1} more waiting after it)` : '';
  $('gate-detail').textContent = `Task ${gate.id} · ${gate.task}${gate.stage === null ? '' : ` in stage ${gate.stage}`}${gate.outputs_uri === null ? '' : ` · ${gate.outputs_uri}`}${more}`;
  for (const button of $('gate-form').querySelectorAll('button')) {
    button.disabled = !canWrite;
    button.title = canWrite ? '' : 'Sign in to answer';
  }
}

function renderControls(run, canWrite) {
  // An orchestrator's run (logged through the task API) is not driven by choiros: nothing would pause it.
  const external = run.origin === 'external';
  const paused = run.status === 'paused' || run.control === 'pause';
  $('pause').disabled = !canWrite || external || isFinished(run) || paused;
  $('resume').disabled = !canWrite || external || !paused;
  for (const id of ['pause', 'resume']) $(id).title = external ? 'An external orchestrator drives this run' : canWrite ? '' : 'Sign in to use';
}

/** Updates the elapsed tile alone (once a second, from the page's clock: no request). */
export function renderElapsed(view, now) {
  setText('m-elapsed', duration(elapsed(view.run.started_at, view.run.finished_at, now)));
}

export function renderView(view, { now, canWrite }) {
  const { run, play, metrics } = view;
  $('run').hidden = false;
  $('empty').hidden = true;
  $('run-title').textContent = run.id;
  const program = run.origin === 'external' ? 'logged by an external orchestrator' : (play.program ?? run.program);
  $('run-sub').textContent = [program, run.mode, play.repository, play.branch].filter(Boolean).join(' · ');
  setText('m-status', run.control === 'pause' && run.status === 'running' ? 'pausing' : run.status.replace('_', ' '), run.status);
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
  renderStages(play.stages, now);
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
