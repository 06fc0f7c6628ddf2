/**
 * `choiros demo`: makes the sample project, starts its session on a private tmux server, runs
 * prose/agentic-build.prose against it with the scripted agents — the first attempt fails
 * verification and is rolled back, the fix passes, deployment runs — shows the play dashboard
 * live (plain lines without a terminal), then says what happened and where everything is, and
 * stops what it started unless --keep.
 *
 * Every choiros step is the real command run as a child process (start, prose run, stop), with
 * the demo's own CHOIROS_HOME and tmux socket: the demo exercises what a user would run.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { findExecutable } from '../../agents/which.js';
import { parseDuration } from '../../config/units.js';
import { UsageError } from '../../errors.js';
import type { MorningReport } from '../../loop/report.js';
import { run as runProcess } from '../../process/run.js';
import type { RunEvent } from '../../runtime/events.js';
import { COMPONENT, DEPLOY_COMMAND } from '../../demo/story.js';
import { createDemo, demoEnv, DEMO_SESSION, PROGRAM, type DemoLayout } from '../../demo/project.js';
import type { Args, CommandContext } from '../command.js';
import { projectLoader } from '../runner.js';
import { makeOutput, type Output } from '../output.js';
import { wrap, type WrapOptions } from '../../util/wrap.js';
import { summaryLines, type DemoFacts } from './summary.js';

const SHIPPED_PROGRAM = fileURLToPath(new URL('../../../prose/agentic-build.prose', import.meta.url));

/** The run arguments of the demo's build: autonomous (nobody is asked), one component, a real deploy command. */
export const RUN_ARGS = ['mode=autonomous', 'max_iterations=3', `components=["${COMPONENT}"]`, `deploy=${DEPLOY_COMMAND}`];

interface RunOutcome {
  exitCode: number | undefined;
  runId: string | undefined;
  finished: Extract<RunEvent, { type: 'run.finished' }> | undefined;
  stderr: string;
}

/** A demo context: the same streams, the demo project's folder and environment. */
function demoContext(ctx: CommandContext, layout: DemoLayout, env: NodeJS.ProcessEnv): CommandContext {
  return { ...ctx, cwd: layout.root, env, project: projectLoader(layout.root, undefined, env) };
}

/**
 * `prose run` of the shipped program as a child in its own process group (a Ctrl-C reaches the
 * demo, which passes it on once), reading its `--json` events as they come.
 */
function runBuild(ctx: CommandContext, layout: DemoLayout, env: NodeJS.ProcessEnv, onEvent: (event: RunEvent) => void): Promise<RunOutcome> {
  const prose = join(dirname(ctx.self.script), 'prose.js');
  const child = spawn(ctx.self.node, [prose, 'run', PROGRAM, ...RUN_ARGS, '--json'], { cwd: layout.root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const outcome: RunOutcome = { exitCode: undefined, runId: undefined, finished: undefined, stderr: '' };
  const interrupt = () => {
    if (child.exitCode === null && child.pid !== undefined) child.kill('SIGINT');
  };
  ctx.signal.addEventListener('abort', interrupt, { once: true });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (outcome.stderr += chunk));
  createInterface({ input: child.stdout }).on('line', (line) => {
    let event: RunEvent;
    try {
      event = JSON.parse(line) as RunEvent;
    } catch {
      return;
    }
    if (event.type === 'run.started') outcome.runId = event.runId ?? undefined;
    if (event.type === 'run.finished') outcome.finished = event;
    onEvent(event);
  });
  return new Promise((resolve) => {
    child.on('error', (error) => {
      outcome.stderr += error.message;
      resolve(outcome);
    });
    child.on('close', (code) => {
      ctx.signal.removeEventListener('abort', interrupt);
      outcome.exitCode = code ?? undefined;
      resolve(outcome);
    });
  });
}

function readReport(folder: string | undefined): MorningReport | undefined {
  if (folder === undefined) return undefined;
  try {
    return JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')) as MorningReport;
  } catch {
    return undefined;
  }
}

/** Whether the run told the demo's story: a failed attempt, a rollback, a pass, a deployment. */
function storyProblem(outcome: RunOutcome, report: MorningReport | undefined): string | undefined {
  if (outcome.finished === undefined) return `prose run ended without finishing (exit ${outcome.exitCode ?? 'by a signal'})${outcome.stderr.trim() === '' ? '' : `: ${outcome.stderr.trim().split('\n').at(-1)}`}`;
  if (outcome.finished.status !== 'succeeded') return `the run ${outcome.finished.status}${outcome.finished.message === undefined ? '' : `: ${outcome.finished.message}`}`;
  if (report === undefined) return 'the run left no morning report';
  if (!report.attempts.some((a) => !a.passed) || report.rollbacks.length === 0) return 'the first attempt was expected to fail verification and be rolled back';
  if (report.attempts.at(-1)?.passed !== true) return 'the last attempt did not pass';
  return undefined;
}

export async function runDemo(args: Args, ctx: CommandContext): Promise<number> {
  const pace = parseDuration(String(args.pace ?? '1s'));
  if (pace === undefined) throw new UsageError(`--pace: expected a duration like 500ms or 1s, got '${String(args.pace)}'`);
  const json = args.json === true;
  // With --json, stdout is the summary's alone: progress goes to stderr.
  const out: Output = json ? makeOutput(ctx.out.stderr as Output['stdout'], ctx.out.stderr, ctx.env) : ctx.out;
  const { style } = out;
  const live = !json && args.tui !== false && ctx.out.isTTY;
  const started = Date.now();
  // Sentences wrap at the terminal's width (or COLUMNS); in a pipe or a log they stay whole lines.
  const width = Math.max(40, out.wrapAt);
  const say = (text: string, options: WrapOptions = {}) => {
    for (const line of wrap(text, width, options)) out.line(line);
  };
  const step = (n: number, text: string, more?: string) => {
    const [first = '', ...rest] = wrap(text, width - 4, { hanging: '' });
    out.line(`${style.cyan(`${n}/4`)} ${first}`);
    for (const line of rest) out.line(`    ${line}`);
    if (more !== undefined) say(more, { indent: '    ' });
  };

  for (const line of wrap('choiros demo: a sample shop, its supervised tmux session, and an agentic build by scripted agents', width)) out.line(style.bold(line));
  for (const line of wrap('No API key and no network; nothing outside the demo folder is touched.', width)) out.line(style.dim(line));
  out.line('');
  const layout = await createDemo({ dir: args.dir as string | undefined, cwd: ctx.cwd, program: readFileSync(SHIPPED_PROGRAM, 'utf8'), pace });
  const env = demoEnv(ctx.env, layout);
  const self = (command: string[], timeoutMs: number) => runProcess(ctx.self.node, [ctx.self.script, ...command], { cwd: layout.root, env, timeoutMs, processGroup: true });
  step(1, 'sample project: a shop API with /health, a UI server, unit and e2e tests, coverage, lint (git, one commit)', layout.root);

  let sessionStarted = false;
  let outcome: RunOutcome | undefined;
  let problem: string | undefined;
  try {
    step(2, `starting session ${DEMO_SESSION} (editor, api, ui, watcher, e2e, logs) on its own tmux server, tmux -L ${layout.socket}…`);
    const start = await self(['start', '--wait'], 120_000);
    sessionStarted = true;
    if (start.exitCode !== 0) throw new Error(`choiros start failed (exit ${start.exitCode ?? start.signal}):\n${start.stderr.trim() || start.stdout.trim()}`);
    say(`api ready on http://127.0.0.1:${layout.apiPort}/health · ui on http://127.0.0.1:${layout.uiPort}/ · every window supervised and logged`, { indent: '    ' });
    if (ctx.signal.aborted) return 130;

    step(3, `the agentic build: prose run ${PROGRAM} ${RUN_ARGS.join(' ')}`);
    const { plainPrinter } = await import('../prose/run-print.js');
    const print = live ? undefined : plainPrinter(out);
    let dashboard: Promise<void> | undefined;
    const demoCtx = demoContext(ctx, layout, env);
    outcome = await runBuild(ctx, layout, env, (event) => {
      print?.(event);
      if (live && event.type === 'run.started' && event.runId !== null && dashboard === undefined) dashboard = showDashboard(demoCtx, event.runId);
    });
    await dashboard;
    if (ctx.signal.aborted) return 130;
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  } finally {
    if (sessionStarted && args.keep !== true) {
      const stop = await self(['stop'], 60_000);
      step(4, stop.exitCode === 0 ? `stopped session ${DEMO_SESSION} and its tmux server` : `could not stop the session: ${stop.stderr.trim()}`);
    } else if (sessionStarted) step(4, `session ${DEMO_SESSION} left running (--keep)`);
  }

  const runFolder = outcome?.runId === undefined ? undefined : join(layout.logs, 'runs', outcome.runId);
  const report = readReport(runFolder);
  problem ??= outcome === undefined ? 'the build did not run' : storyProblem(outcome, report);
  const deployed = outcome?.finished?.outputText.deployed;
  const facts: DemoFacts = {
    ok: problem === undefined,
    problem,
    durationMs: Date.now() - started,
    runId: outcome?.runId,
    runExit: outcome?.exitCode,
    report,
    deployed,
    base: layout.base,
    root: layout.root,
    home: layout.home,
    socket: layout.socket,
    ledger: layout.ledger,
    logs: layout.logs,
    runFolder,
    kept: args.keep === true && sessionStarted,
    choiros: 'choiros',
    notOnPath: findExecutable('choiros', ctx.env, ctx.cwd) !== undefined ? undefined : { checkout: dirname(dirname(ctx.self.script)), script: ctx.self.script },
  };
  out.line('');
  for (const line of summaryLines(facts, style, width)) out.line(line);
  if (json) ctx.out.json(demoJson(facts));
  return facts.ok ? 0 : 1;
}

/** The live play dashboard of the run, in this terminal, until the run ends (or q). The run is in the ledger before its first event is printed. */
async function showDashboard(ctx: CommandContext, runId: string): Promise<void> {
  const { dashboard } = await import('../commands/dashboard.js');
  await dashboard.run?.({ run: runId, interval: '500ms' }, ctx);
}

function demoJson(facts: DemoFacts): Record<string, unknown> {
  return {
    ok: facts.ok,
    problem: facts.problem ?? null,
    duration_ms: facts.durationMs,
    run_id: facts.runId ?? null,
    run_exit: facts.runExit ?? null,
    status: facts.report?.status ?? null,
    attempts: (facts.report?.attempts ?? []).map((a) => ({ attempt: a.attempt, passed: a.passed, status: a.status, headline: a.headline, candidate: a.candidate?.name ?? null })),
    rollbacks: facts.report?.rollbacks ?? [],
    deployed: facts.deployed?.trim() ?? null,
    dir: facts.base,
    project: facts.root,
    home: facts.home,
    tmux_socket: facts.socket,
    ledger: facts.ledger,
    logs: facts.logs,
    run_folder: facts.runFolder ?? null,
    kept: facts.kept,
  };
}
