import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ledger } from '../../src/ledger/ledger.js';
import type { Task } from '../../src/ledger/model.js';
import { run, type ProcessResult } from '../../src/process/run.js';
import { CHOIROS, PROSE } from '../helpers/project.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/loop/', import.meta.url));
export const AGENT = join(FIXTURES, 'agent.mjs');
export const FAIL_ONCE = fileURLToPath(new URL('../fixtures/verify/bin/fail-once.mjs', import.meta.url));

const IDENTITY = ['-c', 'user.name=Fixture', '-c', 'user.email=fixture@example.com', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main'];

/** One step of the fixture agent: files to write or delete, then a reply (see fixtures/loop/agent.mjs). */
export interface AgentStep {
  write?: Record<string, string>;
  delete?: string[];
  sleep_ms?: number;
  reply?: string;
  exit?: number;
}

export const BROKEN_ADD = 'export const add = (a, b) => a - b;\n';
export const FIXED_ADD = 'export const add = (a, b) => b + a;\n';

/** choiros.yaml for the fixture project: the fixture agent, and its test runner as the `unit` gate. */
export function loopConfig(extra = ''): string {
  return `agents:\n  default: { command: ["node", ${JSON.stringify(AGENT)}, "{prompt}"] }\nverify:\n  unit: { run: "node checks/tap.mjs", tap: true }\n${extra}`;
}

export interface LoopProject {
  root: string;
  home: string;
  env: NodeJS.ProcessEnv;
  prose(args: string[], options?: { timeoutMs?: number }): Promise<ProcessResult>;
  choiros(args: string[]): Promise<ProcessResult>;
  /** Starts `prose …` without waiting for it (to kill it, or to talk to it meanwhile). */
  spawnProse(args: string[]): ChildProcess;
  git(...args: string[]): string;
  read(path: string): string;
  /** Every call the fixture agent received, in order. */
  agentCalls(): Array<{ call: number; prompt: string }>;
  ledger(): Ledger;
  /** The only run's id (the newest when there are several). */
  runId(): string;
  /** The tasks of a run, read from its ledger. */
  tasks(runId: string): Task[];
  /** The run's log folder: digests and the morning report. */
  runFolder(runId: string): string;
  cleanup(): void;
}

/**
 * A temp git repository holding the fixture project (src/math.js, its test, a TAP test runner),
 * a choiros.yaml, a program and the fixture agent's script, with its own CHOIROS_HOME. The
 * agent's call counter and log live outside the work tree, where no rollback reaches them.
 */
export function loopProject(files: { config: string; program: string; script?: AgentStep[]; extra?: Record<string, string> }): LoopProject {
  const base = mkdtempSync(join(tmpdir(), 'choiros-loop-'));
  const root = join(base, 'proj');
  const home = join(base, 'home');
  const agent = join(base, 'agent');
  mkdirSync(agent, { recursive: true });
  cpSync(join(FIXTURES, 'project'), root, { recursive: true });
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('choiros.yaml', files.config);
  write('p.prose', files.program);
  for (const [path, text] of Object.entries(files.extra ?? {})) write(path, text);
  writeFileSync(join(agent, 'script.json'), JSON.stringify(files.script ?? []));
  const git = (...args: string[]) => execFileSync('git', [...IDENTITY, ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'the project');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: base, LANG: 'C.UTF-8', NO_COLOR: '1', USER: 'tester', CHOIROS_HOME: home, AGENT_SCRIPT: join(agent, 'script.json'), AGENT_STATE: join(agent, 'state'), AGENT_LOG: join(agent, 'log') };
  const ledger = () => Ledger.open(join(root, '.choiros', 'ledger.db'));
  const runsDir = join(home, 'logs', 'proj', 'runs');
  return {
    root,
    home,
    env,
    prose: (args, options = {}) => run(process.execPath, [PROSE, ...args], { cwd: root, env, timeoutMs: options.timeoutMs ?? 60_000 }),
    choiros: (args) => run(process.execPath, [CHOIROS, ...args], { cwd: root, env, timeoutMs: 30_000 }),
    spawnProse: (args) => spawn(process.execPath, [PROSE, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] }),
    git,
    read: (path) => readFileSync(join(root, path), 'utf8'),
    agentCalls: () => (existsSync(join(agent, 'log')) ? readFileSync(join(agent, 'log'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { call: number; prompt: string }) : []),
    ledger,
    runId: () => {
      const db = ledger();
      try {
        return db.pageRuns(1).items[0]?.id ?? '';
      } finally {
        db.close();
      }
    },
    tasks: (runId) => {
      const db = ledger();
      try {
        return db.tasksOfRun(runId);
      } finally {
        db.close();
      }
    },
    runFolder: (runId) => join(runsDir, runId),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** A baseline checkpoint, a change, then verify-rollback-fix until the unit gate passes (at most `max` fixes). */
export function fixLoop(max: number): string {
  return [
    'checkpoint good "baseline"',
    'session "Make add faster"',
    'let result = verify unit',
    `loop until result.passed (max: ${max}) as attempt:`,
    '  rollback',
    '  session "Fix it:\\n{result.digest}"',
    '  result = verify unit',
    'output passed = result.passed',
  ].join('\n');
}
