import { ExitCode, UsageError } from '../../errors.js';
import type { HealthReport } from '../../health/score.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { StoredEvent } from '../../ledger/model.js';
import type { CommandContext, CommandSpec } from '../command.js';
import { table } from '../table.js';
import type { HealthRollback } from './health-rollback.js';
import { checkpointScorer, projectState, scoreWorkTree, type ProjectState } from './health-trees.js';
import { ledgerPath, withSecretsRedacted } from './ledger-access.js';

const STATUS_WORD = { healthy: 'Healthy', warning: 'Warning', critical: 'Critical' } as const;

function printReport(ctx: CommandContext, report: HealthReport, of?: string): void {
  const { style } = ctx.out;
  const tone = report.status === 'healthy' ? style.green : report.status === 'warning' ? style.yellow : style.red;
  ctx.out.line(`Health${of === undefined ? '' : ` of ${of}`}: ${style.bold(report.score.toFixed(1))} / 100 — ${tone(STATUS_WORD[report.status])}`);
  const rows = report.parts.map((p) => [p.label, `${Math.round(p.score)}%`, `×${p.weight}%`, p.problems[0] ?? p.notes[0] ?? (p.total === 0 ? 'nothing to check' : `${p.passed}/${p.total} ok`)]);
  for (const line of table(rows, ctx.out.columns - 2)) ctx.out.line(`  ${line}`);
  for (const p of report.parts) for (const problem of p.problems.slice(1, 5)) ctx.out.line(style.dim(`    ${p.label}: ${problem}`));
}

/** Longest `choiros health` waits for its webhooks before it exits (what is still going is given up, and recorded so). */
const HEALTH_DELIVERY_WAIT_MS = 15_000;

/**
 * Sends the score to the webhooks that ask for `health` (choiros.yaml `notify: … on: [health]`):
 * the Notifier sends only a warning or critical one. Failures are printed, never fatal.
 */
/**
 * Starts sending the score to the targets that ask for `health`; returns what waits for the
 * deliveries (bounded), so that a rollback the score calls for is not held up by a slow webhook.
 */
async function notifyHealth(state: ProjectState, ledger: Ledger, stored: StoredEvent, ctx: CommandContext): Promise<() => Promise<void>> {
  const targets = state.project?.config.notify ?? [];
  // All of them, so that each keeps its name (`slack[1]`): the Notifier picks those that ask.
  if (!targets.some((t) => t.on?.includes('health') === true)) return async () => {};
  const { Notifier } = await import('../../notify/notifier.js');
  const notifier = new Notifier({ targets, env: ctx.env, ledger, onError: (message) => ctx.out.note(message) });
  notifier.handle(stored);
  return async () => {
    await notifier.drain(HEALTH_DELIVERY_WAIT_MS);
  };
}

/** `--checkpoint NAME`: the checkpoint's own tree, scored and recorded as its health. */
async function scoreCheckpoint(state: ProjectState, name: string, ctx: CommandContext): Promise<HealthReport> {
  const { Checkpoints, DEFAULT_SETTINGS } = await import('../../git/index.js');
  const listed = (await new Checkpoints(state.root, DEFAULT_SETTINGS, ctx.env).list()).checkpoints;
  const checkpoint = listed.find((c) => c.name === name);
  if (checkpoint === undefined) {
    throw new UsageError(`There is no checkpoint '${name}'.`, { hint: listed.length === 0 ? 'No checkpoint has been taken here: `choiros checkpoint` takes one.' : `The newest: ${listed.slice(0, 3).map((c) => c.name).join(', ')} (\`choiros checkpoints\` lists them).` });
  }
  return (await checkpointScorer(state, ctx))(checkpoint);
}

export const health: CommandSpec = withSecretsRedacted({
  name: 'health',
  describe: 'the weighted health score (files 30%, config 25%, data 20%, assets 15%, dependencies 10%); exit 1 when critical',
  options: {
    json: { type: 'boolean', describe: 'print the score and its parts as JSON' },
    'rollback-below': { type: 'number', describe: 'below this score, roll back to the newest checkpoint whose health is healthy (undoable)' },
    yes: { type: 'boolean', alias: 'y', describe: 'roll back without asking (required without a terminal)' },
    checkpoint: { type: 'string', describe: "score checkpoint NAME's own tree and record it as its health" },
  },
  examples: [
    ['choiros health --rollback-below 60 --yes', 'below a score of 60, roll back to the newest healthy checkpoint'],
    ['choiros health --checkpoint checkpoint-20260130-120000', 'how healthy a checkpoint is, by its own files'],
  ],
  async run(args, ctx) {
    const below = args.rollbackBelow as number | undefined;
    const name = args.checkpoint as string | undefined;
    const json = args.json === true;
    if (below !== undefined && !(below > 0 && below <= 100)) throw new UsageError(`--rollback-below: expected a score from 1 to 100, got ${String(below)}`);
    if (below !== undefined && name !== undefined) throw new UsageError('--checkpoint scores a checkpoint; --rollback-below judges the work tree: use one at a time.');
    // A rollback changes the work tree: without a terminal to ask, only --yes says it may (DESIGN.md).
    if (below !== undefined && args.yes !== true && ctx.stdin.isTTY !== true) {
      throw new UsageError('Refusing --rollback-below without --yes: there is no terminal to ask for confirmation.', {
        hint: 'Nothing was scored or changed. Add --yes for unattended use: the rollback is undoable with `choiros rollback --undo`.',
      });
    }
    const state = await projectState(ctx, args.config as string | undefined);
    const [{ Ledger }, { recordHealth }] = await Promise.all([import('../../ledger/ledger.js'), import('../../health/record.js')]);
    const report = name === undefined ? await scoreWorkTree(state) : await scoreCheckpoint(state, name, ctx);
    const ledger = Ledger.open(ledgerPath(state.root));
    try {
      const delivered = await notifyHealth(state, ledger, recordHealth(ledger, report, name ?? null), ctx);
      let rollback: HealthRollback | null = null;
      try {
        if (below !== undefined && report.score < below) {
          const { rollBackOnHealth } = await import('./health-rollback.js');
          rollback = await rollBackOnHealth({ state, report, below, yes: args.yes === true, json, ledger, score: await checkpointScorer(state, ctx) }, ctx);
        }
      } finally {
        // Before the ledger closes: deliveries record when they were sent.
        await delivered();
      }
      if (json) ctx.out.json({ ...report, ...(name === undefined ? {} : { checkpoint: name }), rollback });
      else printReport(ctx, report, name);
      if (rollback?.cancelled === true) return ExitCode.cancelled;
      return report.status === 'critical' ? 1 : 0;
    } finally {
      ledger.close();
    }
  },
});
