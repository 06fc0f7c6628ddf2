import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { CommandAgent } from '../../agents/command-agent.js';
import { JudgeOracle } from '../../agents/judge.js';
import { binaryOf } from '../../agents/presets.js';
import { AgentRouter, agentSettings } from '../../agents/router.js';
import { parseAnswers, ScriptedAgent, type Answers, type FileEditor } from '../../agents/scripted.js';
import { findExecutable } from '../../agents/which.js';
import type { Project } from '../../config/load.js';
import { UsageError } from '../../errors.js';
import type { Ports } from '../../runtime/context.js';
import { DefaultOracle, ScriptedOracle } from '../../runtime/oracles.js';
import type { AgentPort, CheckpointPort, ControlPort, GatePort, InputPort, Journal, Oracle, VerifyPort } from '../../runtime/ports.js';
import { sleep } from '../../util/sleep.js';
import { FileMemory, ProcessExec, processSampler, type Place } from './run-ports.js';

/** A YAML or JSON file of answers (scripted agents, `--answers`), relative to the project root. */
export async function readAnswersFile(path: string, base: string): Promise<unknown> {
  const file = resolve(base, path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the answers file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
  const { parse } = await import('yaml');
  try {
    return parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`The answers file ${path} is not valid YAML or JSON: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
}

/** Agents from choiros.yaml: command adapters, and scripted ones with their answers file read and checked now, before the run. */
export async function agentRouter(project: Project, place: Place): Promise<AgentRouter> {
  const settings = agentSettings(project.config.agents);
  const scripts = new Map<string, Answers>();
  for (const s of settings.values()) if (s.preset === 'scripted' && s.answers !== undefined) scripts.set(s.name, parseAnswers(await readAnswersFile(s.answers, project.root), s.answers));
  return new AgentRouter(settings, (s) => (s.preset === 'scripted' ? new ScriptedAgent(scripts.get(s.name), sleep, projectEditor(project.root)) : new CommandAgent(s, place)));
}

/** A scripted agent's file edits, confined to the project (answers were checked for `..` already). */
function projectEditor(root: string): FileEditor {
  return (path, content) => {
    const target = resolve(root, path);
    if (!target.startsWith(`${resolve(root)}${sep}`)) throw new UsageError(`scripted answers: '${path}' is outside the project`);
    if (content === null) rmSync(target, { force: true });
    else {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
  };
}

/** A missing agent binary is a clear error before anything runs. */
export function checkAgentBinaries(router: AgentRouter, agents: readonly string[], env: NodeJS.ProcessEnv, root: string): void {
  const missing = new Map<string, string[]>();
  for (const agent of agents) {
    const settings = router.resolve(agent);
    const binary = binaryOf(settings);
    if (binary === undefined || findExecutable(binary, env, root) !== undefined) continue;
    missing.set(binary, [...(missing.get(binary) ?? []), agent === settings.name ? agent : `${agent} (via ${settings.name})`]);
  }
  if (missing.size === 0) return;
  const lines = [...missing].map(([binary, users]) => `${binary} (for ${users.join(', ')})`);
  throw new UsageError(`Agent program${missing.size > 1 ? 's' : ''} not found: ${lines.join('; ')}. Nothing was started.`, {
    hint: 'Install it, or point choiros.yaml `agents:` at another command. `prose run --dry-run` runs the program against a scripted agent.',
  });
}

export interface OracleChoice {
  answers: string | undefined;
  oracle: 'judge' | 'default' | undefined;
}

/**
 * --answers FILE, else --oracle default, else choiros.yaml `judge:` (answers or agent), else the
 * `default` agent judges. `judge` names the agent asked, when one is.
 */
export async function oracleFor(choice: OracleChoice, project: Project, router: AgentRouter, cwd: string, warn: (message: string) => void): Promise<{ oracle: Oracle; judge: string | undefined }> {
  if (choice.answers !== undefined) return { oracle: new ScriptedOracle(await readAnswersFile(choice.answers, cwd)), judge: undefined };
  if (choice.oracle === 'default') return { oracle: new DefaultOracle(), judge: undefined };
  const config = project.config.judge;
  if (config?.answers !== undefined && choice.oracle !== 'judge') return { oracle: new ScriptedOracle(await readAnswersFile(config.answers, project.root)), judge: undefined };
  const judge = config?.agent ?? 'default';
  return { oracle: new JudgeOracle(router, judge, warn), judge };
}

/** Without a terminal no one answers: a gate takes its default answer, or waits for approval. */
export const unattendedGates: GatePort = {
  ask: async (request) => (request.fallback === undefined ? undefined : { answer: request.fallback, feedback: '', by: 'default' }),
};

export const unattendedInputs: InputPort = { ask: async () => undefined };

export interface RealPorts {
  place: Place;
  agents: AgentPort;
  verify: VerifyPort;
  oracle: Oracle;
  journal: Journal;
  control: ControlPort;
  checkpoints: CheckpointPort;
  gates: GatePort;
  inputs: InputPort;
}

/** setTimeout's longest delay (24.8 days): a later limit is left to the check before every step. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The real clock's alarm (a phase's `timeout:`): a timer that does not keep the process alive by itself. */
function alarm(ms: number, fire: () => void): () => void {
  if (ms > MAX_TIMER_MS) return () => {};
  const timer = setTimeout(fire, ms);
  timer.unref();
  return () => clearTimeout(timer);
}

export function realPorts(wired: RealPorts): Ports {
  return {
    agents: wired.agents,
    oracle: wired.oracle,
    inputs: wired.inputs,
    clock: { now: () => Date.now(), sleep: (ms, signal) => sleep(ms, signal), alarm },
    journal: wired.journal,
    exec: new ProcessExec(wired.place),
    verify: wired.verify,
    checkpoints: wired.checkpoints,
    gates: wired.gates,
    memory: new FileMemory(wired.place),
    control: wired.control,
    sampler: processSampler(wired.place.root),
  };
}
