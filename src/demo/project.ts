/**
 * The demo's folder: the sample project (a git repository with one commit), its choiros.yaml
 * and the scripted agents' answers, and a private CHOIROS_HOME beside it — nothing of the
 * user's (their tmux server, their ~/.local/share/choiros, their git config) is touched.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ledgerFile, sessionLogDir } from '../config/paths.js';
import { UsageError } from '../errors.js';
import { run } from '../process/run.js';
import { sampleProject } from './sample-project.js';
import { ANSWERS_FILE, demoAnswers, demoConfig } from './story.js';

export const DEMO_SESSION = 'demo-shop';
export const PROGRAM = 'prose/agentic-build.prose';

export interface DemoLayout {
  /** The folder holding everything the demo made. */
  base: string;
  /** The sample project (a git repository). */
  root: string;
  /** CHOIROS_HOME for everything the demo runs: window logs, run folders. */
  home: string;
  /** The private tmux server (`tmux -L`). */
  socket: string;
  apiPort: number;
  uiPort: number;
  ledger: string;
  logs: string;
}

/** A port nothing listens on now (the kernel's pick; another process could take it before us, rarely). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** `--dir` must be new or empty: the demo never writes over anything. */
function baseFolder(dir: string | undefined, cwd: string): string {
  if (dir === undefined) return mkdtempSync(join(tmpdir(), 'choiros-demo-'));
  const base = resolve(cwd, dir);
  if (existsSync(base) && readdirSync(base).length > 0) {
    throw new UsageError(`--dir: ${base} is not empty.`, { hint: 'Give a new or empty folder, or leave --dir out to use a temporary one.' });
  }
  mkdirSync(base, { recursive: true });
  return base;
}

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

async function git(root: string, args: string[]): Promise<void> {
  const result = await run('git', args, { cwd: root, timeoutMs: 30_000 });
  if (result.failed) throw new Error(`git ${args.join(' ')} failed in ${root}: ${result.spawnError ?? result.stderr.trim()}`);
}

export interface CreateOptions {
  dir: string | undefined;
  cwd: string;
  /** The text of prose/agentic-build.prose, as shipped. */
  program: string;
  /** Milliseconds each scripted agent works. */
  pace: number;
}

/** Writes the sample project, commits it (with the demo's own git identity) and returns where everything is. */
export async function createDemo(options: CreateOptions): Promise<DemoLayout> {
  const base = baseFolder(options.dir, options.cwd);
  const root = join(base, 'shop');
  const home = join(base, 'home');
  const [apiPort, uiPort] = [await freePort(), await freePort()];
  const story = { apiPort, uiPort, pace: options.pace };
  write(root, { ...sampleProject(story), 'choiros.yaml': demoConfig(story), [PROGRAM]: options.program, [ANSWERS_FILE]: demoAnswers(story) });
  mkdirSync(home, { recursive: true });
  await git(root, ['init', '--quiet', '--initial-branch=main']);
  // The repository's own identity: checkpoints are commits, and the user may have none configured.
  await git(root, ['config', 'user.name', 'choiros demo']);
  await git(root, ['config', 'user.email', 'demo@choiros.invalid']);
  await git(root, ['config', 'commit.gpgsign', 'false']);
  await git(root, ['add', '--all']);
  await git(root, ['commit', '--quiet', '--message', 'demo shop: totals, a health check, tests']);
  return {
    base,
    root,
    home,
    socket: `choiros-demo-${randomBytes(3).toString('hex')}`,
    apiPort,
    uiPort,
    ledger: ledgerFile(root),
    logs: sessionLogDir(home, DEMO_SESSION),
  };
}

/** The environment every choiros process of the demo gets: its own home and tmux server, none of the caller's project settings. */
export function demoEnv(env: NodeJS.ProcessEnv, layout: DemoLayout): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('CHOIROS_')));
  return { ...clean, CHOIROS_HOME: layout.home, CHOIROS_TMUX_SOCKET: layout.socket };
}
