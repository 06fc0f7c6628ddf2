import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatDuration } from '../config/units.js';
import { runManaged, type ManagedResult } from '../process/managed.js';
import { describeExit } from '../process/run.js';
import { isAlive } from '../process/tree.js';
import type { AgentCallIo, AgentPort, AgentRequest, AgentResult } from '../runtime/ports.js';
import type { Redact } from '../runtime/redact.js';
import { LineLog, LineSplitter } from './line-log.js';
import { invocation, outputReader, type AgentSettings } from './presets.js';

/** Where agents run and write. */
export interface AgentPlace {
  root: string;
  /** The run's log folder: `$CHOIROS_HOME/logs/<session>/runs/<run>/`. */
  logDir: string;
  env: NodeJS.ProcessEnv;
  secrets: Redact;
  /** Between SIGTERM and SIGKILL when a run is ended. */
  killGraceMs?: number;
}

/** Why a run did not give an answer, in one line. */
export function failureOf(result: ManagedResult, settings: AgentSettings, timeoutMs: number, binary: string): string | undefined {
  if (result.canceled) return 'cancelled';
  if (result.timedOut) return `timed out after ${formatDuration(timeoutMs)}`;
  if (result.idleTimedOut) return `no output for ${formatDuration(settings.idleTimeoutMs)}`;
  if (result.spawnError !== undefined) return result.exitCode === 127 ? `${binary}: command not found` : result.spawnError;
  if (result.exitCode !== 0) {
    const last = result.stderr.trim().split('\n').at(-1)?.trim();
    return `${describeExit(result)}${last === undefined || last === '' ? '' : `: ${last}`}`;
  }
  return undefined;
}

/**
 * An agent CLI run per session: argv from the preset or template (never a shell), the prompt on
 * stdin or in a file, in its own process group with a hard timeout and an idle timeout that end
 * the whole tree. Output is tee'd, redacted, to `<logName>.log` in the run's log folder, and what
 * a person should see of it is passed on as it arrives.
 */
const SCRATCH_PREFIX = 'choiros-agent-';
let swept = false;

/** Removes the scratch folders of runners that are gone (killed with SIGKILL, they could not). */
export function sweepAbandonedScratch(dir: string = tmpdir()): void {
  const pattern = new RegExp(`^${SCRATCH_PREFIX}(\\d+)-`);
  for (const name of readdirSync(dir)) {
    const pid = pattern.exec(name)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !isAlive(Number(pid))) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

/**
 * A scratch folder for one agent call (its prompt and context files), named after this process,
 * so that the first call of the next runner removes those a killed one left: prompts do not
 * linger in /tmp.
 */
function scratchFolder(): string {
  if (!swept) {
    swept = true;
    sweepAbandonedScratch();
  }
  return mkdtempSync(join(tmpdir(), `${SCRATCH_PREFIX}${process.pid}-`));
}

export class CommandAgent implements AgentPort {
  constructor(
    readonly settings: AgentSettings,
    private readonly place: AgentPlace,
  ) {}

  async run(request: AgentRequest, io: AgentCallIo): Promise<AgentResult> {
    const { settings, place } = this;
    const scratch = scratchFolder();
    const logFile = join(place.logDir, `${request.logName}.log`);
    const log = new LineLog(logFile, place.secrets);
    const reader = outputReader(settings);
    const live = new LineSplitter((line) => {
      for (const shown of reader.live(line)) io.onOutput(`${shown}\n`);
    });
    try {
      const call = invocation(settings, request, (name) => join(scratch, name));
      for (const [path, text] of call.files) writeFileSync(path, text, { mode: 0o600 });
      const [file = '', ...args] = call.argv;
      const timeoutMs = request.timeoutMs ?? settings.timeoutMs;
      const result = await runManaged(file, args, {
        cwd: resolve(place.root, settings.cwd ?? '.'),
        env: { ...place.env, ...settings.env },
        ...(call.stdin === undefined ? {} : { input: call.stdin }),
        timeoutMs,
        idleTimeoutMs: settings.idleTimeoutMs,
        ...(place.killGraceMs === undefined ? {} : { killGraceMs: place.killGraceMs }),
        signal: io.signal,
        onOutput: (chunk, stream) => {
          log.write(chunk);
          if (stream === 'stdout') live.push(chunk);
          else io.onOutput(chunk);
        },
        ...(io.onSpawn === undefined ? {} : { onSpawn: io.onSpawn }),
      });
      live.end();
      const parsed = reader.parse(result.stdout);
      const error = failureOf(result, settings, timeoutMs, file) ?? parsed.error;
      return { ok: error === undefined, text: parsed.text, error, exitCode: result.exitCode, durationMs: result.durationMs, costUsd: parsed.costUsd, sessionId: parsed.sessionId, logFile: log.written ? logFile : undefined, ...(result.timedOut ? { timedOut: true } : {}) };
    } finally {
      await log.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  }
}
