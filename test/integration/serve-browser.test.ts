/**
 * The web dashboard in a real headless Chromium (`apt-get install chromium`), driven by
 * playwright-core against a real server and ledger. One browser for the file; every Chromium
 * process it started is gone (or killed, and the test fails) when the file ends.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listProcesses } from '../../src/process/tree.js';
import { waitFor } from '../helpers/wait.js';
import { backgroundResume } from '../../src/cli/prose/resume-background.js';
import { runLockFile } from '../../src/cli/prose/run-lock.js';
import { PROSE } from '../helpers/project.js';
import { loopConfig, loopProject, type LoopProject } from './loop-fixture.js';
import { endResumes, runAtGate, serve, STAGES, type Served } from './serve-fixture.js';

const CHROMIUM = process.env.CHOIROS_CHROMIUM ?? '/usr/bin/chromium';
// Without these, Chromium reaches for the network at start-up, which this machine refuses.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function chromiumPids(): Set<number> {
  const pids = new Set<number>();
  for (const p of listProcesses()) {
    if (p.state === 'Z') continue;
    try {
      if (/chrom/i.test(readFileSync(`/proc/${p.pid}/comm`, 'utf8'))) pids.add(p.pid);
    } catch {
      // Ended while we looked.
    }
  }
  return pids;
}

let browser: Browser;
let before: Set<number>;
let served: Served | undefined;
let page: Page | undefined;
let project: LoopProject | undefined;
/** Runs and background resumes this file's tests started: ended (if still going) before their project is removed. */
const children: number[] = [];
const problems: string[] = [];

beforeAll(async () => {
  before = chromiumPids();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});

afterAll(async () => {
  await browser.close();
  const started = () => [...chromiumPids()].filter((pid) => !before.has(pid));
  const left = await waitFor(() => started().length === 0, 5000, 'Chromium to exit').catch(() => false);
  if (left === false) {
    const pids = started();
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    throw new Error(`Chromium processes outlived the browser: ${pids.join(', ')}`);
  }
});

afterEach(async () => {
  await page?.close();
  page = undefined;
  await served?.close();
  served = undefined;
  await endResumes(children);
  project?.cleanup();
  project = undefined;
  // CSP violations and script errors land here: the page must run clean.
  expect(problems.splice(0)).toEqual([]);
});

/** The server's background `prose resume` for a fixture project, its pids kept to be waited for. */
function continuer(lp: LoopProject): (runId: string) => { pid: number; log: string } {
  const resume = backgroundResume({ node: process.execPath, prose: PROSE, root: lp.root, env: lp.env, logDir: (id) => join(lp.home, 'resumes', id) });
  return (runId) => {
    const started = resume(runId);
    children.push(started.pid);
    return started;
  };
}

async function open(url: string, viewport = { width: 1440, height: 900 }): Promise<Page> {
  page = await browser.newPage({ viewport });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  await page.locator('#connection[data-state="live"]').waitFor({ timeout: 5000 });
  return page;
}

describe('the web dashboard', () => {
  it('shows a run: its stages as a timeline, live metrics, each agent, the event log and the waiting gate', async () => {
    served = await serve();
    const { runId, gateId } = runAtGate(served.ledger);
    const p = await open(served.server.url);
    await expect.poll(() => p.locator('#run-title').textContent()).toBe(runId);
    expect(await p.locator('#stages .stage-name').allTextContents()).toEqual(['implementation', 'review']);
    expect(await p.locator('#stages [data-stage="review"] .stage-status').textContent()).toBe('‖ waiting for approval');
    expect(await p.locator('#m-health').textContent()).toBe('on track');
    expect(await p.locator('#m-success').textContent()).toBe('100%');
    expect(await p.locator('#m-iteration').textContent()).toBe('1');
    expect(await p.locator('[data-agent="rex"] .agent-line').textContent()).toBe('writing src/login.ts');
    expect(await p.locator('#log').textContent()).toContain('stage review started');
    expect(await p.locator('#gate-detail').textContent()).toContain(`Task ${gateId} · gate:ship in stage review`);
    // Not signed in: the levers are shown but cannot be pulled.
    expect(await p.getByRole('button', { name: 'Approve' }).isDisabled()).toBe(true);
    expect(await p.getByRole('link', { name: 'Sign in to approve and control' }).isVisible()).toBe(true);
  });

  it('shows the stage a run stopped in as stopped, as the terminal dashboard does, and its time stands', async () => {
    served = await serve();
    const l = served.ledger;
    const run = l.createRun({ program: 'prose/build.prose', programHash: 'h1', mode: 'autonomous' });
    l.append(run.id, { type: 'play.spec', stages: STAGES, repository: 'acme/app', branch: 'main' });
    l.append(run.id, { type: 'stage.started', stage: 'implementation' });
    l.createTask({ task: 'session:rex', runId: run.id, stage: 'implementation', agent: 'rex', status: 'running' });
    l.finishRun(run.id, 'stopped', 'max_iterations: 3 failed verifications in a row');
    const p = await open(served.server.url);
    await expect.poll(() => p.locator('#run-title').textContent()).toBe(run.id);
    const stage = p.locator('#stages [data-stage="implementation"]');
    expect(await stage.locator('.stage-status').textContent()).toBe('■ stopped');
    expect(await stage.getAttribute('class')).toContain('tone-stopped');
    const shown = [await stage.locator('.stage-meta').textContent(), await p.locator('#m-elapsed').textContent()];
    // Nothing to wait for: the page's clock ticks each second, and for a stopped run it must not move a thing.
    await p.waitForTimeout(1500);
    expect([await stage.locator('.stage-meta').textContent(), await p.locator('#m-elapsed').textContent()]).toEqual(shown);
  });

  it('shows an event appended to the ledger within a second, without polling', async () => {
    served = await serve({ stream: { pollMs: 5000 } });
    const { runId } = runAtGate(served.ledger);
    const p = await open(served.server.url);
    const requests: string[] = [];
    p.on('request', (r) => requests.push(new URL(r.url()).pathname));
    const started = performance.now();
    served.ledger.append(runId, { type: 'checkpoint', name: 'checkpoint-20261120-101500', commit: 'abc', verdict: 'good' });
    await p.locator('#log li', { hasText: 'checkpoint checkpoint-20261120-101500 (good)' }).waitFor({ timeout: 1000 });
    console.log(`ledger append → shown in the page's event log: ${(performance.now() - started).toFixed(0)} ms`);
    served.ledger.append(runId, { type: 'stage.finished', stage: 'review', status: 'failed' });
    await expect.poll(() => p.locator('#stages [data-stage="review"] .stage-status').textContent(), { timeout: 1000 }).toBe('✗ failed');
    expect(requests).toEqual([]);
  });

  it('completes a waiting gate with the approve button: the run that stopped for it goes on to the end', async () => {
    project = loopProject({ config: loopConfig(), program: 'let answer = gate ship:\n  prompt: "Ship it?"\nexec "true"\noutput feedback = answer.feedback\n' });
    const lp = project;
    expect((await lp.prose(['run', 'p.prose'])).exitCode).toBe(4);
    const runId = lp.runId();
    const gate = lp.tasks(runId).find((t) => t.task === 'gate ship');
    served = await serve({ ledgerPath: join(lp.root, '.choiros', 'ledger.db'), runLock: runLockFile(lp.root), continueRun: continuer(lp) });
    const s = served;
    const p = await open(s.server.loginUrl());
    expect(new URL(p.url()).pathname).toBe('/');
    await expect.poll(() => p.locator('#run-title').textContent()).toBe(runId);
    expect(await p.locator('#gate-detail').textContent()).toContain(`Task ${gate?.id} · gate ship`);
    const approve = p.getByRole('button', { name: 'Approve' });
    await expect.poll(() => approve.isEnabled()).toBe(true);
    await p.getByLabel('Feedback for the agent').fill('looks good, ship it');
    await p.getByLabel('Your name').fill('alice');
    await approve.click();
    await expect.poll(() => p.locator('#gate-message').textContent()).toContain('The run goes on: prose resume');
    await expect.poll(() => p.locator('#m-status').textContent(), { timeout: 30_000 }).toBe('succeeded');
    expect(s.ledger.task(gate?.id ?? 0)).toMatchObject({ status: 'succeeded', approvalState: 'approved', approver: 'alice', feedback: 'looks good, ship it' });
    expect(s.ledger.run(runId).status).toBe('succeeded');
    expect(await p.locator('#gate').isHidden()).toBe(true);
    // The status comes with the run's view; the log line of its last event may follow a moment later.
    await expect.poll(() => p.locator('#log').textContent(), { timeout: 5000 }).toContain('run succeeded');
    const log = await p.locator('#log').textContent();
    expect(log).toContain(`task ${gate?.id} approved by alice`);
    expect(log).toContain('prose resume started in the background for alice');
  });

  it('answers a gate’s Modify option with feedback from the page: the option and the words reach the ledger', async () => {
    served = await serve();
    const s = served;
    const { runId, gateId } = runAtGate(s.ledger, ['Yes', 'No', 'Modify']);
    const p = await open(s.server.loginUrl());
    await expect.poll(() => p.locator('#run-title').textContent()).toBe(runId);
    // The gate's own options, not Approve / Reject; the one meaning no is the reject.
    expect(await p.locator('#gate-actions button').allTextContents()).toEqual(['Yes', 'No', 'Modify…']);
    expect(await p.locator('#gate-prompt').textContent()).toBe('Ship it?');
    expect(await p.locator('#gate-feedback-hint').textContent()).toBe('Modify needs feedback: say what the agent should change.');
    const modify = p.getByRole('button', { name: 'Modify…' });
    await expect.poll(() => modify.isEnabled()).toBe(true);
    await modify.click();
    expect(await p.locator('#gate-message').textContent()).toBe('Modify needs feedback: say what the agent should change, then press Modify again.');
    expect(await p.evaluate('document.activeElement?.id')).toBe('gate-feedback');
    expect(s.ledger.task(gateId).approvalState).toBe('pending');
    await p.getByLabel(/Feedback for the agent/).fill('use port 9090');
    await p.getByLabel('Your name').fill('alice');
    await modify.click();
    await expect.poll(() => p.locator('#gate-message').textContent()).toContain(`Answered Modify to task ${gateId}.`);
    expect(s.ledger.task(gateId)).toMatchObject({ status: 'awaiting_approval', approvalState: 'approved', approver: 'alice', feedback: 'use port 9090' });
    expect(s.ledger.events({ runId }).find((e) => e.event.type === 'task.approval')?.event).toEqual({ type: 'task.approval', taskId: gateId, state: 'approved', approver: 'alice', feedback: 'use port 9090', option: 'Modify' });
    // Answered: the gate leaves the page with the next live view.
    await expect.poll(() => p.locator('#gate').isHidden(), { timeout: 2000 }).toBe(true);
  });

  it('cancels a run only after the confirmation, through the ledger', async () => {
    served = await serve();
    const s = served;
    const { runId } = runAtGate(s.ledger);
    const p = await open(s.server.loginUrl());
    await expect.poll(() => p.locator('#run-title').textContent()).toBe(runId);
    const cancel = p.getByRole('button', { name: 'Cancel run…' });
    await expect.poll(() => cancel.isEnabled()).toBe(true);
    await cancel.click();
    const dialog = p.getByRole('dialog', { name: `Cancel run ${runId}?` });
    expect(await dialog.isVisible()).toBe(true);
    // Focus starts on the safe choice: Enter keeps the run.
    await p.keyboard.press('Enter');
    expect(await dialog.isVisible()).toBe(false);
    expect(s.ledger.run(runId).control).toBeNull();
    await cancel.click();
    await p.getByRole('button', { name: 'Cancel the run' }).click();
    await expect.poll(() => p.locator('#control-message').textContent()).toBe('Cancel requested: the run stops its agents and is recorded as cancelled.');
    expect(s.ledger.run(runId).control).toBe('cancel');
    expect(s.ledger.events({ runId }).at(-1)?.event).toEqual({ type: 'run.control', control: 'cancel', by: null });
    await expect.poll(() => cancel.isDisabled(), { timeout: 2000 }).toBe(true);
  });

  it('shows the run’s tasks in a table and a task appended to the ledger within a second', async () => {
    served = await serve({ stream: { pollMs: 5000 } });
    const s = served;
    const { runId, gateId, agentTaskId } = runAtGate(s.ledger);
    const p = await open(s.server.url);
    await expect.poll(() => p.locator('#run-title').textContent()).toBe(runId);
    expect(await Promise.all((await p.locator('#tasks-body tr').all()).map((r) => r.getAttribute('data-task')))).toEqual([String(gateId), String(agentTaskId)]);
    const agentRow = p.locator(`#tasks-body tr[data-task="${agentTaskId}"] td`);
    expect((await agentRow.allTextContents()).slice(0, 5)).toEqual([`session:rex #${agentTaskId}`, 'succeeded', 'implementation', 'rex', '1']);
    const started = performance.now();
    const added = s.ledger.createTask({ task: 'session:cleo', runId, stage: 'review', agent: 'cleo', status: 'running', attempt: 2 });
    const row = p.locator(`#tasks-body tr[data-task="${added.id}"]`);
    await row.waitFor({ timeout: 1000 });
    console.log(`ledger task → shown in the page's task table: ${(performance.now() - started).toFixed(0)} ms`);
    expect((await row.locator('td').allTextContents()).slice(0, 6)).toEqual([`session:cleo #${added.id}`, 'running', 'review', 'cleo', '2', '—']);
    // The newest first, and its row follows the task.
    expect(await p.locator('#tasks-body tr').first().getAttribute('data-task')).toBe(String(added.id));
    s.ledger.transition(added.id, 'failed', { reason: 'tests failed', durationMs: 65_000, logExcerpt: 'FAIL src/a.test.ts' });
    await expect.poll(() => row.locator('td').nth(1).textContent(), { timeout: 1000 }).toBe('failed (tests failed)');
    expect(await row.locator('td').nth(5).textContent()).toBe('1m 05s');
    expect(await row.locator('details pre').textContent()).toBe('FAIL src/a.test.ts');
  });

  it('shows an HTML-looking log excerpt and outputs as text, links only http(s) and relative outputs, and reads on a phone', async () => {
    served = await serve();
    const s = served;
    const { runId } = runAtGate(s.ledger);
    const html = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script><b>bold</b>\nline two';
    const log = async (task: string, outputs: string) => ((await (await s.call('POST', '/agents/tasks/', { body: { task, run_id: runId, status: 'failed', log_excerpt: html, outputs_uri: outputs } })).json()) as { id: number }).id;
    const evil = await log('<i>evil</i>', 'javascript:alert(1)');
    const tabbed = await log('tabbed', 'java\tscript:alert(1)');
    const web = await log('web', 'https://github.com/u/r/pull/9');
    const relative = await log('relative', 'artifacts/report.html');
    const p = await open(s.server.url, { width: 375, height: 740 });
    await expect.poll(() => p.locator('#run-title').textContent()).toBe(runId);
    const row = (id: number) => p.locator(`#tasks-body tr[data-task="${id}"]`);
    expect(await row(evil).locator('.task-name').textContent()).toBe('<i>evil</i>');
    expect(await row(evil).locator('i, img, script, b').count()).toBe(0);
    // Collapsed until asked for; then the text exactly as the agent wrote it.
    const excerpt = row(evil).locator('details');
    expect(await excerpt.getAttribute('open')).toBeNull();
    expect(await excerpt.locator('summary').textContent()).toBe('2 lines');
    await excerpt.locator('summary').click();
    expect(await excerpt.locator('pre').textContent()).toBe(html);
    expect(await p.locator('#tasks img, #tasks script, #tasks b').count()).toBe(0);
    expect(await p.evaluate('window.pwned')).toBeUndefined();
    expect(await row(evil).locator('a').count()).toBe(0);
    expect(await row(evil).locator('.uri').textContent()).toBe('javascript:alert(1)');
    expect(await row(tabbed).locator('a').count()).toBe(0);
    expect(await row(web).locator('a').getAttribute('href')).toBe('https://github.com/u/r/pull/9');
    expect(await row(relative).locator('a').getAttribute('href')).toBe(`${s.server.url}artifacts/report.html`);
    // A phone: the table reads as cards, the page does not scroll sideways.
    expect(await p.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    expect(await row(web).locator('td').first().evaluate((td) => (globalThis as unknown as { getComputedStyle(e: unknown, p: string): { content: string } }).getComputedStyle(td, '::before').content)).toBe('"Task"');
  });

  it('pauses a real run from the page, then resumes it to the end', async () => {
    project = loopProject({ config: loopConfig(), program: 'exec "sleep 3"\nexec "true"\noutput done = true\n' });
    const lp = project;
    served = await serve({ ledgerPath: join(lp.root, '.choiros', 'ledger.db'), runLock: runLockFile(lp.root), continueRun: continuer(lp) });
    const s = served;
    const p = await open(s.server.loginUrl());
    // The page is open first and follows the run as it starts: Pause lands while the first step runs.
    const child = lp.spawnProse(['run', 'p.prose', 'mode=autonomous']);
    if (child.pid !== undefined) children.push(child.pid);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const runId = await waitFor(() => lp.runId() || undefined, 15_000, 'the run to start');
    await expect.poll(() => p.locator('#run-title').textContent(), { timeout: 10_000 }).toBe(runId);
    await expect.poll(() => p.getByRole('button', { name: 'Pause' }).isEnabled()).toBe(true);
    // Under load the page can be ready before the runner reaches its first step: pause while it runs.
    await waitFor(() => (lp.tasks(runId).some((t) => t.status === 'running') ? true : undefined), 15_000, 'the first step to start');
    await p.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => p.locator('#m-status').textContent()).toBe('pausing');
    expect(await exited).toBe(3);
    await expect.poll(() => p.locator('#m-status').textContent(), { timeout: 5000 }).toBe('paused');
    expect(lp.tasks(runId).map((t) => t.task)).toEqual(['exec sleep 3']);
    await expect.poll(() => p.getByRole('button', { name: 'Resume' }).isEnabled()).toBe(true);
    await p.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => p.locator('#control-message').textContent()).toMatch(/^Resumed: prose resume started in the background \(pid \d+\)\.$/);
    await expect.poll(() => p.locator('#m-status').textContent(), { timeout: 30_000 }).toBe('succeeded');
    expect(lp.tasks(runId).map((t) => [t.task, t.status])).toEqual([
      ['exec sleep 3', 'succeeded'],
      ['exec true', 'succeeded'],
    ]);
  });

  it('shows a run an orchestrator logs through the task API: in the run picker, at ?run=, with a stage per task and no pause', async () => {
    served = await serve();
    runAtGate(served.ledger);
    const s = served;
    const created = await s.call('POST', '/agents/tasks/', { body: { task: 'lint', run_id: 'ci-1', status: 'running' } });
    expect(created.status).toBe(201);
    const p = await open(`${s.server.loginUrl()}`);
    await expect.poll(() => p.locator('#run-select option[value="ci-1"]').textContent()).toBe('ci-1 · running');
    await p.goto(`${s.server.url}?run=ci-1`);
    await p.locator('#connection[data-state="live"]').waitFor({ timeout: 5000 });
    await expect.poll(() => p.locator('#run-title').textContent()).toBe('ci-1');
    expect(await p.locator('#run-sub').textContent()).toBe('logged by an external orchestrator');
    expect(await p.locator('#stages .stage-name').allTextContents()).toEqual(['lint']);
    expect(await p.getByRole('button', { name: 'Pause' }).isDisabled()).toBe(true);
    const lint = (await created.json()) as { id: number };
    await s.call('PATCH', `/agents/tasks/${lint.id}`, { body: { status: 'succeeded' } });
    await expect.poll(() => p.locator('#m-status').textContent(), { timeout: 2000 }).toBe('succeeded');
    expect(await p.locator('#log').textContent()).toContain('run succeeded');
  });

  it('follows the newest run as it starts', async () => {
    served = await serve();
    runAtGate(served.ledger);
    const p = await open(served.server.url);
    const next = served.ledger.createRun({ program: 'prose/nightly.prose', programHash: 'h9' });
    await expect.poll(() => p.locator('#run-title').textContent(), { timeout: 2000 }).toBe(next.id);
    expect(await p.locator('#run-sub').textContent()).toBe('prose/nightly.prose');
  });
});
