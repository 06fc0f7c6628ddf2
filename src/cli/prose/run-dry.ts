import { ScriptedAgent } from '../../agents/scripted.js';
import type { Ports } from '../../runtime/context.js';
import { MemoryJournal } from '../../runtime/memory-journal.js';
import type { AgentMemory, CheckpointPort, ExecPort, ExecResult, GatePort, MemoryPort, Oracle, VerifyPort } from '../../runtime/ports.js';

/** Nothing runs: every command "exits 0" with no output. */
const dryExec: ExecPort = {
  run: async (): Promise<ExecResult> => ({ exitCode: 0, stdout: '', stderr: '', description: 'not run (dry run)', timedOut: false, durationMs: 0, logFile: undefined }),
};

const dryVerify: VerifyPort = {
  run: async () => ({ passed: true, status: 'pass', flaky: false, failures: [], coverage: null, warnings: null, digest: 'dry run: not verified', gates: [] }),
};

function dryCheckpoints(): CheckpointPort {
  let count = 0;
  return {
    create: async ({ good }) => ({ name: `dry-run-${++count}`, commit: '0000000', good }),
    rollback: async (target) => ({ target: target ?? 'the last good checkpoint', undo: null, changed: 0 }),
  };
}

/** A gate takes its default answer, else its first option. */
const dryGates: GatePort = {
  ask: async (request) => ({ answer: request.fallback ?? request.options[0] ?? 'Yes', feedback: '', by: 'dry run' }),
};

/** Memory that lasts as long as the run. */
export class RunMemory implements MemoryPort {
  private readonly memories = new Map<string, AgentMemory>();

  async load(agent: string): Promise<AgentMemory | undefined> {
    return this.memories.get(agent);
  }

  async reset(agent: string): Promise<void> {
    this.memories.delete(agent);
  }

  async remember(agent: string, _scope: string, entry: { prompt: string; reply: string; sessionId: string | undefined }): Promise<void> {
    const previous = this.memories.get(agent);
    this.memories.set(agent, { transcript: `${previous?.transcript ?? ''}${entry.prompt}\n${entry.reply}\n`, sessionId: entry.sessionId ?? previous?.sessionId ?? null });
  }
}

/**
 * `prose run --dry-run`: the scripted agent for every session, the given oracle (the default
 * policy unless --answers), and nothing that touches the project — no command, gate, git or
 * ledger write. What would start is what the events show.
 */
export function dryRunPorts(oracle: Oracle): Ports {
  return {
    agents: new ScriptedAgent(),
    oracle,
    inputs: { ask: async () => undefined },
    clock: { now: () => performance.now(), sleep: async () => {} },
    journal: new MemoryJournal(),
    exec: dryExec,
    verify: dryVerify,
    checkpoints: dryCheckpoints(),
    gates: dryGates,
    memory: new RunMemory(),
  };
}
