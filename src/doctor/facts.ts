import { mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binaryOf } from '../agents/presets.js';
import { agentSettings } from '../agents/router.js';
import { findExecutable } from '../agents/which.js';
import type { Project } from '../config/load.js';
import type { NotifyConfig } from '../config/schema.js';
import { sessionLogDir } from '../config/paths.js';
import { targetLabel } from '../notify/notifier.js';
import { envReferences } from '../notify/redact.js';
import { lockHolder } from '../process/lock.js';
import { run } from '../process/run.js';
import type { DoctorFacts } from './checks.js';

async function versionLine(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const result = await run(file, args, { timeoutMs: 5000, env });
  return result.failed ? undefined : result.stdout.trim().split('\n')[0];
}

function writable(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.doctor-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

async function repoFacts(project: Project, env: NodeJS.ProcessEnv): Promise<Pick<DoctorFacts, 'repo' | 'checkpoints'>> {
  const { Checkpoints, settingsFromConfig } = await import('../git/index.js');
  const { operationInProgress } = await import('../git/repo.js');
  const checkpoints = new Checkpoints(project.root, settingsFromConfig(project.config.checkpoints), env);
  const repo = await checkpoints.repo().catch(() => undefined);
  if (repo === undefined) return { repo: undefined, checkpoints: undefined };
  const listed = await checkpoints.list().catch(() => undefined);
  const all = listed?.checkpoints ?? [];
  return {
    repo: { root: repo.root, operation: operationInProgress(repo) },
    checkpoints: listed === undefined ? undefined : { total: all.length, good: all.find((c) => c.verdict === 'good')?.name, newest: all[0]?.name },
  };
}

/** The `${VAR}`s each webhook target needs that the environment does not set (empty counts as unset, as when sending). */
function notifyFacts(targets: readonly NotifyConfig[], env: NodeJS.ProcessEnv): DoctorFacts['notify'] {
  const unset = targets.flatMap((t, i) => {
    const variables = [...new Set([t.url, t.secret ?? ''].flatMap(envReferences))].filter((name) => (env[name] ?? '') === '');
    return variables.length === 0 ? [] : [{ target: targetLabel(t, i), variables }];
  });
  return { targets: targets.length, unset };
}

/** Everything the checklist looks at, gathered at once (the slow parts — git, tmux — in parallel). */
export async function gatherFacts(project: Project, env: NodeJS.ProcessEnv, runLock: string): Promise<DoctorFacts> {
  const config = project.config;
  const [git, tmux, repo] = await Promise.all([versionLine('git', ['--version'], env), versionLine('tmux', ['-V'], env), repoFacts(project, env)]);
  const logs = sessionLogDir(project.home, config.session);
  const settings = agentSettings(config.agents);
  const holder = lockHolder(runLock);
  let diskFreeBytes: number | undefined;
  try {
    const stats = statfsSync(project.root);
    diskFreeBytes = stats.bavail * stats.bsize;
  } catch {
    diskFreeBytes = undefined;
  }
  return {
    git: { version: git },
    ...repo,
    diskFreeBytes,
    logs: { path: logs, error: writable(logs) },
    tmux: { version: tmux },
    agents: [...settings.values()].map((s) => {
      const binary = binaryOf(s);
      return { name: s.name, binary, found: binary === undefined ? undefined : findExecutable(binary, env, project.root) };
    }),
    gates: Object.keys(config.verify ?? {}),
    maxIterations: config.run?.max_iterations,
    rollbackOnFailure: config.run?.rollback_on_failure,
    notify: notifyFacts(config.notify ?? [], env),
    lock: holder === undefined ? undefined : { run: holder.detail?.run, pid: holder.pid, since: holder.since },
  };
}
