import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '../../config/paths.js';
import { AbortError } from '../../errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import { collectSecrets, Redactor } from '../../notify/redact.js';
import type { CommandContext } from '../command.js';
import type { Output } from '../output.js';

export function ledgerPath(root: string): string {
  return join(stateDir(root), 'ledger.db');
}

/**
 * Opens the project's ledger. Readers refuse a project without one (nothing has run yet)
 * rather than create an empty file; writers (control requests, admin overrides) need one too:
 * they act on a run that must exist.
 */
export async function openLedger(ctx: CommandContext): Promise<{ ledger: Ledger; root: string }> {
  const project = await ctx.project();
  const path = ledgerPath(project.root);
  if (!existsSync(path)) {
    throw new AbortError(`No ledger in ${project.root}: no run has been recorded here yet.`, { hint: 'Runs are recorded by `prose run`; the ledger is .choiros/ledger.db at the project root.' });
  }
  const { Ledger } = await import('../../ledger/ledger.js');
  return { ledger: Ledger.open(path), root: project.root };
}

/** The secrets of this project's environment and notify targets. */
export async function projectRedactor(ctx: CommandContext): Promise<Redactor> {
  const project = await ctx.project();
  const configValues = (project.config.notify ?? []).flatMap((n) => [n.url, ...(n.secret === undefined ? [] : [n.secret])]);
  return new Redactor(collectSecrets({ env: ctx.env, configValues }));
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
