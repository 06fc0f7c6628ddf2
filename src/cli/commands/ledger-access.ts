import { existsSync } from 'node:fs';
import { ledgerFile } from '../../config/paths.js';
import { AbortError, ConfigError, UsageError } from '../../errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { Run } from '../../ledger/model.js';
import type { SettledRun } from '../../loop/reconcile.js';
import { collectSecrets, Redactor } from '../../notify/redact.js';
import type { CommandContext, CommandSpec } from '../command.js';
import type { Output } from '../output.js';

export function ledgerPath(root: string): string {
  return ledgerFile(root);
}

/**
 * Opens the project's ledger. Readers refuse a project without one (nothing has run yet)
 * rather than create an empty file; writers (control requests, admin overrides) need one too:
 * they act on a run that must exist. Runs whose process died are settled first (recorded
 * interrupted, their leftover agents ended): `settled` says which.
 */
export async function openLedger(ctx: CommandContext): Promise<{ ledger: Ledger; root: string; settled: SettledRun[] }> {
  const project = await ctx.project();
  const path = ledgerPath(project.root);
  if (!existsSync(path)) {
    throw new AbortError(`No ledger in ${project.root}: no run has been recorded here yet.`, { hint: 'Runs are recorded by `prose run`; the ledger is .choiros/ledger.db at the project root.' });
  }
  const [{ Ledger }, { settleOrphanedRuns, ORPHAN_GRACE_MS }, { runLockFile }] = await Promise.all([import('../../ledger/ledger.js'), import('../../loop/reconcile.js'), import('../prose/run-lock.js')]);
  const ledger = Ledger.open(path);
  let settled: SettledRun[] = [];
  try {
    // A run whose process died says so in every view (and says to resume it).
    settled = await settleOrphanedRuns(ledger, runLockFile(project.root), project.config.stop_grace ?? ORPHAN_GRACE_MS);
  } catch {
    // A ledger we cannot write now (busy, read-only) is still worth reading.
  }
  return { ledger, root: project.root, settled };
}

/** The run named on the command line, or a usage error naming the latest ones. */
export function knownRun(ledger: Ledger, runId: string): Run {
  const run = ledger.findRun(runId);
  if (run !== undefined) return run;
  const recent = ledger.pageRuns(3).items.map((r) => `${r.id} (${r.status})`);
  throw new UsageError(`There is no run '${runId}' in this project.`, { hint: recent.length === 0 ? 'No run has been recorded here.' : `The latest: ${recent.join(', ')} (\`choiros runs --by-run\` lists them).` });
}

/** The secrets of this project's environment and notify targets (the environment's alone when the config is invalid). */
export async function projectRedactor(ctx: CommandContext): Promise<Redactor> {
  try {
    const project = await ctx.project();
    const configValues = (project.config.notify ?? []).flatMap((n) => [n.url, ...(n.secret === undefined ? [] : [n.secret])]);
    return new Redactor(collectSecrets({ env: ctx.env, configValues }));
  } catch (error) {
    if (error instanceof ConfigError) return new Redactor(collectSecrets({ env: ctx.env }));
    throw error;
  }
}

/** The message, hint and next steps of an error, redacted in place (the one error handler prints them). */
export function redactError(error: unknown, redactor: Redactor): unknown {
  if (!(error instanceof Error) || redactor.size === 0) return error;
  error.message = redactor.redact(error.message);
  if (error instanceof AbortError) Object.assign(error, { hint: error.hint === undefined ? undefined : redactor.redact(error.hint), nextSteps: error.nextSteps.map((s) => redactor.redact(s)) });
  return error;
}

/**
 * A command (and its subcommands) whose errors are redacted before they are printed: a stage
 * name, a run id or a path echoed back may carry a secret pasted by mistake.
 */
export function withSecretsRedacted(spec: CommandSpec): CommandSpec {
  const run = spec.run;
  return {
    ...spec,
    ...(spec.subcommands === undefined ? {} : { subcommands: spec.subcommands.map(withSecretsRedacted) }),
    ...(run === undefined
      ? {}
      : {
          run: async (args, ctx) => {
            try {
              return await run(args, ctx);
            } catch (error) {
              throw redactError(error, await projectRedactor(ctx).catch(() => new Redactor(collectSecrets({ env: ctx.env }))));
            }
          },
        }),
  };
}

/** An Output that redacts every line and JSON value it prints. */
export function redacting(out: Output, redactor: Redactor): Output {
  if (redactor.size === 0) return out;
  return {
    ...out,
    line: (text = '') => out.line(redactor.redact(text)),
    note: (text) => out.note(redactor.redact(text)),
    json: (value) => out.json(redactor.redactDeep(value)),
  };
}
