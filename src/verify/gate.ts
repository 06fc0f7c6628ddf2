import { appendFileSync, mkdirSync } from 'node:fs';
import { LineLog } from '../agents/line-log.js';
import type { Redact } from '../runtime/redact.js';
import { dirname, resolve } from 'node:path';
import type { GateConfig } from '../config/schema.js';
import { runManaged, type ManagedResult } from '../process/managed.js';
import { describeExit, quoteForDisplay } from '../process/run.js';
import { judgeAttempt, type Places } from './judge.js';
import { judgeExit } from './parsers/exit-code.js';
import { readReportFile, stampFile, type FileStamp } from './report-files.js';
import { describeSource, parseReport, reportSources, type GateReport, type ReportSource } from './reports.js';
import type { Attempt, GateVerdict } from './types.js';

export interface GateRunOptions {
  /** The project root: the gate's `cwd` is relative to it, and failures' paths are shown relative to it. */
  root: string;
  /** Every attempt's output is appended here as it arrives. */
  logFile: string;
  /** Ends the gate's whole process tree; the verdict is then an error, `canceled`. */
  signal?: AbortSignal;
  /** The environment the gate's own `env` is added to; default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** Between SIGTERM and SIGKILL when a timed-out or canceled gate is ended. */
  killGraceMs?: number;
  /** Output as it arrives, for live views. */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** Hides secrets from the log file (a gate may print a token of its environment). */
  secrets?: Redact;
  /**
   * Each attempt's leader pid once it started: the runner records it, so that a run killed while
   * its tests run has them ended on resume rather than overlap the next run of the same tests.
   */
  onSpawn?: (pid: number) => void;
}

/** Reports on stdout can be large (a JSON report of thousands of tests). */
const MAX_OUTPUT = 32 * 1024 * 1024;

/**
 * Runs one verification gate: its command (a string is the user's own shell command from their
 * own choiros.yaml and goes through `/bin/sh -c`; an array runs as it is), then the reports it
 * names, then its thresholds. A gate that fails is run once more on the same tree: failing then
 * passing is `flaky`. Errors (did not start, timed out, no usable report) are not re-run: a
 * second try would cost the same time and tell nothing new. Never rejects.
 */
export async function runGate(name: string, gate: GateConfig, options: GateRunOptions): Promise<GateVerdict> {
  const argv: Argv = typeof gate.run === 'string' ? { file: '/bin/sh', args: ['-c', gate.run] } : { file: gate.run[0] ?? '', args: gate.run.slice(1) };
  const command = gateCommand(gate);
  const places: Places = { root: options.root, cwd: resolve(options.root, gate.cwd ?? '.') };
  const first = await attempt(name, gate, argv, places, options);
  if (first.status !== 'fail' || options.signal?.aborted === true) return verdictOf(name, gate, command, options.logFile, first);
  appendFileSync(options.logFile, `\n[choiros] gate ${name} failed (${first.reasons.join('; ')}); running it again on the same tree\n\n`);
  return verdictOf(name, gate, command, options.logFile, first, await attempt(name, gate, argv, places, options));
}

/** The gate's command as a human reads it. */
export function gateCommand(gate: GateConfig): string {
  return typeof gate.run === 'string' ? gate.run : gate.run.map(quoteForDisplay).join(' ');
}

interface Argv {
  file: string;
  args: readonly string[];
}

async function attempt(name: string, gate: GateConfig, argv: Argv, places: Places, options: GateRunOptions): Promise<Attempt> {
  const sources = reportSources(gate);
  const files = new Map<ReportSource, { path: string; before: FileStamp | null }>();
  for (const source of sources) {
    if (source.from.type !== 'file') continue;
    const path = resolve(places.cwd, source.from.path);
    files.set(source, { path, before: stampFile(path) });
  }
  const startedAt = Date.now();
  const log = options.secrets === undefined ? undefined : new LineLog(options.logFile, options.secrets);
  if (log !== undefined) {
    // The log is there even when the gate prints nothing, as runManaged leaves it.
    mkdirSync(dirname(options.logFile), { recursive: true });
    appendFileSync(options.logFile, '');
  }
  const onOutput = log === undefined ? options.onOutput : (chunk: string, stream: 'stdout' | 'stderr') => (log.write(chunk), options.onOutput?.(chunk, stream));
  const result = await runManaged(argv.file, argv.args, {
    cwd: places.cwd,
    env: { ...(options.env ?? process.env), ...gate.env },
    ...(log === undefined ? { logFile: options.logFile } : {}),
    maxBuffer: MAX_OUTPUT,
    ...(gate.timeout > 0 ? { timeoutMs: gate.timeout } : {}),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
    ...(onOutput === undefined ? {} : { onOutput }),
    ...(options.onSpawn === undefined ? {} : { onSpawn: options.onSpawn }),
  });
  await log?.close();
  const exit = judgeExit(result, gate.timeout);
  // A command that did not finish leaves half-written reports: they are not read at all.
  const reports = exit.kind === 'error' ? [] : sources.map((source) => readReport(source, result, files.get(source), startedAt));
  const facts = { exit, exitText: describeExit(result), reports, output: `${result.stdout}\n${result.stderr}`, durationMs: result.durationMs };
  return judgeAttempt(name, gate, facts, places);
}

function readReport(source: ReportSource, result: ManagedResult, file: { path: string; before: FileStamp | null } | undefined, startedAt: number): GateReport {
  if (file === undefined) return parseReport(source, result.stdout);
  const text = readReportFile(file.path, describeSource(source), file.before, startedAt);
  return text.kind === 'text' ? parseReport(source, text.text) : { type: 'problem', source: describeSource(source), reason: text.reason };
}

function verdictOf(name: string, gate: GateConfig, command: string, logFile: string, first: Attempt, second?: Attempt): GateVerdict {
  const attempts = second === undefined ? [first] : [first, second];
  const flaky = first.status === 'fail' && second?.status === 'pass';
  // A re-run that errors (a timeout the second time) does not erase the failure the first run showed.
  const shown = second === undefined || second.status === 'error' || flaky ? first : second;
  const measured = flaky ? (second ?? first) : shown;
  const status = flaky ? 'flaky' : shown.status;
  return {
    gate: name,
    status,
    passed: status === 'pass' || (status === 'flaky' && gate.flaky_is_pass),
    command,
    durationMs: attempts.reduce((sum, a) => sum + a.durationMs, 0),
    attempts,
    tests: measured.tests,
    coverage: measured.coverage,
    warnings: measured.warnings,
    lintErrors: measured.lintErrors,
    failures: shown.failures,
    reasons: flaky ? [`failed, then passed on a re-run: ${first.reasons.join('; ')}`] : shown.reasons,
    excerpt: shown.excerpt,
    logFile,
  };
}
