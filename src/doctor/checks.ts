/**
 * `choiros doctor`: the safety checklist before an unattended run (the seed's "Safety
 * Checklist"), as verdicts on facts gathered elsewhere (facts.ts). Pure, so each rule is tested
 * on its own.
 */
import type { Operation } from '../git/repo.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  id: string;
  status: CheckStatus;
  /** One line: what was found. */
  detail: string;
  /** What to do about it (warnings and failures). */
  hint?: string;
}

export interface DoctorFacts {
  git: { version: string | undefined };
  /** Undefined outside a git work tree. */
  repo: { root: string; operation: Operation | undefined } | undefined;
  checkpoints: { total: number; good: string | undefined; newest: string | undefined } | undefined;
  diskFreeBytes: number | undefined;
  logs: { path: string; error: string | undefined };
  tmux: { version: string | undefined };
  agents: Array<{ name: string; binary: string | undefined; found: string | undefined }>;
  gates: string[];
  maxIterations: number | undefined;
  rollbackOnFailure: boolean | undefined;
  /** Webhook targets, and the `${VAR}`s their url or secret use that are not set (names only, never values). */
  notify: { targets: number; unset: Array<{ target: string; variables: string[] }> };
  lock: { run: string | undefined; pid: number; since: string } | undefined;
}

export const MIN_GIT = [2, 31] as const;
export const MIN_TMUX = [3, 0] as const;
export const DISK_WARN_BYTES = 10 * 1000 ** 3;
export const DISK_FAIL_BYTES = 1000 ** 3;
export const MAX_REASONABLE_ITERATIONS = 20;
export const DEFAULT_ITERATIONS = 10;

/** `git version 2.43.0` / `tmux 3.3a` / `tmux next-3.4` → [2, 43] / [3, 3] / [3, 4]. */
export function versionOf(text: string | undefined): [number, number] | undefined {
  const match = /(\d+)\.(\d+)/.exec(text ?? '');
  return match === null ? undefined : [Number(match[1]), Number(match[2])];
}

function atLeast(version: [number, number] | undefined, min: readonly [number, number]): boolean {
  return version !== undefined && (version[0] > min[0] || (version[0] === min[0] && version[1] >= min[1]));
}

const gb = (bytes: number) => `${(bytes / 1000 ** 3).toFixed(1)} GB`;

function gitChecks(f: DoctorFacts): Check[] {
  const version = versionOf(f.git.version);
  const checks: Check[] = [
    f.git.version === undefined
      ? { id: 'git', status: 'fail', detail: 'git is not installed (or not on PATH)', hint: 'Checkpoints and rollbacks are git objects: install git 2.31 or newer.' }
      : atLeast(version, MIN_GIT)
        ? { id: 'git', status: 'ok', detail: f.git.version }
        : { id: 'git', status: 'fail', detail: `${f.git.version}: older than ${MIN_GIT.join('.')}`, hint: 'Upgrade git: choiros needs 2.31 or newer.' },
  ];
  if (f.repo === undefined) return [...checks, { id: 'repository', status: 'fail', detail: 'not inside a git repository', hint: 'Run `git init` here: without it nothing can be checkpointed or rolled back.' }];
  checks.push({ id: 'repository', status: 'ok', detail: `git work tree at ${f.repo.root}` });
  checks.push(
    f.repo.operation === undefined
      ? { id: 'git-operation', status: 'ok', detail: 'no merge, rebase, cherry-pick or bisect in progress' }
      : { id: 'git-operation', status: 'fail', detail: `a ${f.repo.operation} is in progress`, hint: `Finish or abort the ${f.repo.operation} first: a rollback refuses to run during one.` },
  );
  const cp = f.checkpoints;
  if (cp === undefined || cp.total === 0) checks.push({ id: 'checkpoint', status: 'fail', detail: 'no checkpoint yet: a failed run has nothing to roll back to', hint: 'Take one: choiros checkpoint -m "before the overnight run" --verdict good' });
  else if (cp.good === undefined) checks.push({ id: 'checkpoint', status: 'warn', detail: `${cp.total} checkpoint${cp.total === 1 ? '' : 's'}, none marked good (newest ${cp.newest ?? ''})`, hint: 'Mark the state you trust: choiros checkpoint --mark NAME --verdict good' });
  else checks.push({ id: 'checkpoint', status: 'ok', detail: `last good checkpoint ${cp.good}` });
  return checks;
}

function machineChecks(f: DoctorFacts): Check[] {
  const free = f.diskFreeBytes;
  const tmux = versionOf(f.tmux.version);
  return [
    free === undefined
      ? { id: 'disk', status: 'warn', detail: 'free disk space unknown' }
      : free < DISK_FAIL_BYTES
        ? { id: 'disk', status: 'fail', detail: `${gb(free)} free`, hint: 'Free some space: agents, builds and logs fill a disk overnight.' }
        : free < DISK_WARN_BYTES
          ? { id: 'disk', status: 'warn', detail: `${gb(free)} free (under 10 GB)`, hint: 'Free some space before a long run: builds and logs grow overnight.' }
          : { id: 'disk', status: 'ok', detail: `${gb(free)} free` },
    f.logs.error === undefined ? { id: 'logs', status: 'ok', detail: `logs folder writable: ${f.logs.path}` } : { id: 'logs', status: 'fail', detail: `cannot write to ${f.logs.path}: ${f.logs.error}`, hint: 'Fix its permissions, or point CHOIROS_HOME at a writable folder.' },
    f.tmux.version === undefined
      ? { id: 'tmux', status: 'warn', detail: 'tmux is not installed', hint: '`prose run` works without it; `choiros start` (the dev session) needs tmux 3.0 or newer.' }
      : atLeast(tmux, MIN_TMUX)
        ? { id: 'tmux', status: 'ok', detail: f.tmux.version }
        : { id: 'tmux', status: 'warn', detail: `${f.tmux.version}: older than ${MIN_TMUX.join('.')}`, hint: 'Upgrade tmux for `choiros start`.' },
  ];
}

/** A target whose `${VAR}` is not set cannot send: worse than none, it looks configured. */
function webhookCheck({ targets, unset }: DoctorFacts['notify']): Check {
  if (targets === 0) return { id: 'webhook', status: 'warn', detail: 'no webhook in choiros.yaml: no one is told when a run needs a human', hint: 'Add one under `notify:` (Slack or a generic webhook).' };
  if (unset.length > 0) {
    const names = [...new Set(unset.flatMap((u) => u.variables))];
    return {
      id: 'webhook',
      status: 'fail',
      detail: `${unset.map((u) => `${u.target} uses ${u.variables.map((v) => `\${${v}}`).join(', ')}`).join('; ')}, not set: ${unset.length === 1 ? 'it' : 'they'} cannot send`,
      hint: `Set ${names.join(', ')} in the environment of the run (or fix the name in choiros.yaml \`notify:\`).`,
    };
  }
  return { id: 'webhook', status: 'ok', detail: `${targets} webhook${targets === 1 ? '' : 's'} configured` };
}

function runChecks(f: DoctorFacts): Check[] {
  const missing = f.agents.filter((a) => a.binary !== undefined && a.found === undefined);
  const max = f.maxIterations;
  return [
    missing.length > 0
      ? { id: 'agents', status: 'fail', detail: `agent program${missing.length > 1 ? 's' : ''} not found: ${missing.map((a) => `${a.binary} (${a.name})`).join(', ')}`, hint: 'Install it, or point choiros.yaml `agents:` at another command.' }
      : { id: 'agents', status: 'ok', detail: f.agents.map((a) => `${a.name}: ${a.found ?? 'scripted'}`).join('; ') },
    f.gates.length === 0 ? { id: 'gates', status: 'warn', detail: 'no verification gates in choiros.yaml: `verify` has nothing to run', hint: 'Add gates under `verify:` (unit, coverage, lint…): every iteration is judged by them.' } : { id: 'gates', status: 'ok', detail: `gates: ${f.gates.join(', ')}` },
    max === undefined
      ? { id: 'max-iterations', status: 'warn', detail: `max_iterations is not set: autonomous runs stop after ${DEFAULT_ITERATIONS} failed verifications in a row`, hint: 'Set `run: { max_iterations: 5 }` in choiros.yaml (5 to 10 is reasonable overnight).' }
      : max > MAX_REASONABLE_ITERATIONS
        ? { id: 'max-iterations', status: 'warn', detail: `max_iterations is ${max}: that many failed attempts in a row burn hours and money`, hint: 'Keep it between 5 and 10.' }
        : { id: 'max-iterations', status: 'ok', detail: `max_iterations ${max}` },
    f.rollbackOnFailure === false ? { id: 'rollback', status: 'fail', detail: 'rollback_on_failure is false: failed iterations pile up in the work tree', hint: 'Remove `rollback_on_failure: false` from choiros.yaml `run:` before an unattended run.' } : { id: 'rollback', status: 'ok', detail: 'failed iterations roll back to the last good checkpoint' },
    webhookCheck(f.notify),
    f.lock === undefined
      ? { id: 'lock', status: 'ok', detail: 'no other run holds the project' }
      : { id: 'lock', status: 'fail', detail: `${f.lock.run ?? 'a run'} holds the project (pid ${f.lock.pid}, since ${f.lock.since})`, hint: `One run at a time: wait for it, or choiros cancel ${f.lock.run ?? 'RUN'}.` },
  ];
}

export function doctorChecks(facts: DoctorFacts): Check[] {
  return [...gitChecks(facts), ...machineChecks(facts), ...runChecks(facts)];
}

/** 0 when nothing failed (warnings too, with `strict`), else 1. */
export function doctorExitCode(checks: readonly Check[], strict: boolean): number {
  return checks.some((c) => c.status === 'fail' || (strict && c.status === 'warn')) ? 1 : 0;
}
