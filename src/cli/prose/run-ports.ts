import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join, resolve } from 'node:path';
import { LineLog } from '../../agents/line-log.js';
import { stateDir } from '../../config/paths.js';
import { formatDuration } from '../../config/units.js';
import type { Ledger } from '../../ledger/ledger.js';
import { treeCpuMs } from '../../process/cpu.js';
import { runManaged } from '../../process/managed.js';
import { describeExit, run } from '../../process/run.js';
import type { Sampler } from '../../runtime/activity.js';
import type { AgentCallIo, AgentMemory, ControlPort, ExecPort, ExecRequest, ExecResult, MemoryPort } from '../../runtime/ports.js';
import type { Redact } from '../../runtime/redact.js';

export interface Place {
  root: string;
  home: string;
  logDir: string;
  env: NodeJS.ProcessEnv;
  secrets: Redact;
  /** Between SIGTERM and SIGKILL when a tree is ended (choiros.yaml `stop_grace`). */
  killGraceMs?: number;
}

/** `exec` steps: argv through `runManaged` (own process group, tree kill), output tee'd, redacted, to the run's log folder. */
export class ProcessExec implements ExecPort {
  constructor(private readonly place: Place) {}

  async run(request: ExecRequest, io: AgentCallIo): Promise<ExecResult> {
    const logFile = join(this.place.logDir, `${request.logName}.log`);
    const log = new LineLog(logFile, this.place.secrets);
    const result = await runManaged(request.file, request.args, {
      cwd: resolve(this.place.root, request.cwd ?? '.'),
      env: { ...this.place.env, ...request.env },
      ...(request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs }),
      signal: io.signal,
      ...(this.place.killGraceMs === undefined ? {} : { killGraceMs: this.place.killGraceMs }),
      onOutput: (chunk) => {
        log.write(chunk);
        io.onOutput(chunk);
      },
      ...(io.onSpawn === undefined ? {} : { onSpawn: io.onSpawn }),
    });
    await log.close();
    const description = result.timedOut && request.timeoutMs !== undefined ? `timed out after ${formatDuration(request.timeoutMs)}` : describeExit(result);
    // Killed by a signal: the shell's convention, 128 + its number (143 for SIGTERM, 137 for SIGKILL).
    const signalled = result.signal === undefined ? undefined : 128 + (constants.signals[result.signal] ?? 0);
    return { exitCode: result.exitCode ?? signalled ?? 1, stdout: result.stdout, stderr: result.stderr, description, timedOut: result.timedOut, durationMs: result.durationMs, logFile: log.written ? logFile : undefined };
  }
}

const MAX_TRANSCRIPT = 64 * 1024;

/** Memory of `persist:` agents: `.choiros/agents/NAME/` (project), `$CHOIROS_HOME/agents/NAME/` (user), or a path. */
export class FileMemory implements MemoryPort {
  constructor(private readonly place: Place) {}

  private dir(agent: string, scope: string): string {
    if (scope === 'project') return join(stateDir(this.place.root), 'agents', agent);
    if (scope === 'user') return join(this.place.home, 'agents', agent);
    return resolve(this.place.root, scope);
  }

  async load(agent: string, scope: string): Promise<AgentMemory | undefined> {
    const dir = this.dir(agent, scope);
    let transcript = '';
    let sessionId: string | null = null;
    try {
      transcript = readFileSync(join(dir, 'memory.md'), 'utf8');
    } catch {
      // No memory yet.
    }
    try {
      sessionId = (JSON.parse(readFileSync(join(dir, 'session.json'), 'utf8')) as { sessionId?: string }).sessionId ?? null;
    } catch {
      // No session yet.
    }
    return transcript === '' && sessionId === null ? undefined : { transcript: transcript.slice(-MAX_TRANSCRIPT), sessionId };
  }

  async reset(agent: string, scope: string): Promise<void> {
    const dir = this.dir(agent, scope);
    rmSync(join(dir, 'memory.md'), { force: true });
    rmSync(join(dir, 'session.json'), { force: true });
  }

  async remember(agent: string, scope: string, entry: { prompt: string; reply: string; sessionId: string | undefined }): Promise<void> {
    const dir = this.dir(agent, scope);
    mkdirSync(dir, { recursive: true });
    const { secrets } = this.place;
    appendFileSync(join(dir, 'memory.md'), `## ${new Date().toISOString()}\n\n### Asked\n\n${secrets.redact(entry.prompt.trim())}\n\n### Answered\n\n${secrets.redact(entry.reply.trim())}\n\n`);
    if (entry.sessionId !== undefined) writeFileSync(join(dir, 'session.json'), `${JSON.stringify({ sessionId: entry.sessionId })}\n`);
  }
}

/** CPU time of an agent's tree from /proc; changed files from `git status` (0 outside a repository). */
export function processSampler(root: string): Sampler {
  return {
    cpuMs: (pid) => treeCpuMs(pid),
    fileChanges: async () => {
      const status = await run('git', ['status', '--porcelain', '--untracked-files=normal'], { cwd: root, timeoutMs: 5000 });
      return status.failed ? 0 : status.stdout.split('\n').filter(Boolean).length;
    },
  };
}

/**
 * Requests written to the ledger by `choiros pause|cancel RUN`, polled every 200 ms (a query of
 * a few microseconds): a
 * cancel aborts the run at once (its agents' trees are ended), a pause waits for the next step.
 */
export function pollControl(ledger: Ledger, runId: string, onCancel: () => void, intervalMs = 200): ControlPort & { stop(): void } {
  // Read afresh at every step boundary (a primary-key lookup), so a pause takes effect at the very next step.
  const read = () => ledger.findRun(runId)?.control ?? undefined;
  const timer = setInterval(() => {
    if (read() === 'cancel') onCancel();
  }, intervalMs);
  timer.unref();
  return { requested: read, stop: () => clearInterval(timer) };
}
