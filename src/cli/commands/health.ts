import { existsSync } from 'node:fs';
import { locateProject } from '../../config/paths.js';
import { ConfigError, UsageError } from '../../errors.js';
import type { HealthReport } from '../../health/score.js';
import type { CommandContext, CommandSpec } from '../command.js';
import { table } from '../table.js';
import { ledgerPath, withSecretsRedacted } from './ledger-access.js';

/** Runs the five checks over the project; the config's own verdict is one of them. */
async function evaluate(ctx: CommandContext, configFlag: string | undefined): Promise<{ root: string; report: HealthReport }> {
  const { root, configFile } = locateProject(ctx.cwd, configFlag);
  let configProblem: string | undefined;
  try {
    await ctx.project();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    configProblem = error.issues[0]?.message ?? error.message;
  }
  const [probes, { trackedFiles }, { healthScore }, { ledgerProblem }, { Ledger }, { checkSource }] = await Promise.all([
    import('../../health/probes.js'),
    import('../../health/git.js'),
    import('../../health/score.js'),
    import('../../health/record.js'),
    import('../../ledger/ledger.js'),
    import('../../prose/index.js'),
  ]);
  // The same verdict as `prose check`: a program with any error counts against the score.
  const checkProgram = (path: string, text: string) =>
    checkSource(text, path)
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => `${path}:${d.line}:${d.column}: ${d.code} ${d.message}`);
  const tracked = await trackedFiles(root);
  let ledger: string | undefined | null = null;
  if (existsSync(ledgerPath(root))) {
    try {
      const opened = Ledger.open(ledgerPath(root), { readonly: true });
      ledger = ledgerProblem(opened);
      opened.close();
    } catch (error) {
      ledger = error instanceof Error ? error.message : String(error);
    }
  }
  const report = healthScore({
    critical_files: probes.criticalFiles(root, tracked, configFile),
    config: probes.configAndPrograms(root, configProblem, tracked, checkProgram),
    data: probes.dataIntegrity(root, tracked, ledger),
    assets: probes.publicAssets(root),
    dependencies: probes.dependencies(root),
  });
  return { root, report };
}

const STATUS_WORD = { healthy: 'Healthy', warning: 'Warning', critical: 'Critical' } as const;

function printReport(ctx: CommandContext, report: HealthReport): void {
  const { style } = ctx.out;
  const tone = report.status === 'healthy' ? style.green : report.status === 'warning' ? style.yellow : style.red;
  ctx.out.line(`Health: ${style.bold(report.score.toFixed(1))} / 100 — ${tone(STATUS_WORD[report.status])}`);
  const rows = report.parts.map((p) => [p.label, `${Math.round(p.score)}%`, `×${p.weight}%`, p.problems[0] ?? p.notes[0] ?? (p.total === 0 ? 'nothing to check' : `${p.passed}/${p.total} ok`)]);
  for (const line of table(rows, ctx.out.columns - 2)) ctx.out.line(`  ${line}`);
  for (const p of report.parts) for (const problem of p.problems.slice(1, 5)) ctx.out.line(style.dim(`    ${p.label}: ${problem}`));
}

export const health: CommandSpec = withSecretsRedacted({
  name: 'health',
  describe: 'the weighted health score (files 30%, config 25%, data 20%, assets 15%, dependencies 10%); exit 1 when critical',
  options: {
    json: { type: 'boolean', describe: 'print the score and its parts as JSON' },
    'rollback-below': { type: 'number', describe: 'below this score, roll back to the last checkpoint whose recorded score was healthy' },
    checkpoint: { type: 'string', describe: 'record this score as the health of checkpoint NAME' },
  },
  examples: [['choiros health --rollback-below 60', 'the auto-rollback of the choreography design']],
  async run(args, ctx) {
    const below = args.rollbackBelow as number | undefined;
    if (below !== undefined && !(below > 0 && below <= 100)) throw new UsageError(`--rollback-below: expected a score from 1 to 100, got ${String(below)}`);
    const { root, report } = await evaluate(ctx, args.config as string | undefined);
    const [{ Ledger }, { recordHealth, recordedScores }] = await Promise.all([import('../../ledger/ledger.js'), import('../../health/record.js')]);
    const ledger = Ledger.open(ledgerPath(root));
    try {
      recordHealth(ledger, report, (args.checkpoint as string | undefined) ?? null);
      let rollback: { to: string; score: number; undo: string | null; restarted: string[] } | null = null;
      if (below !== undefined && report.score < below) {
        const [{ lastHealthyCheckpoint }, { Checkpoints, settingsFromConfig }] = await Promise.all([import('../../health/checkpoints.js'), import('../../git/index.js')]);
        const project = await ctx.project();
        const checkpoints = new Checkpoints(root, settingsFromConfig(project.config.checkpoints), ctx.env);
        const listed = (await checkpoints.list()).checkpoints.map((c) => ({ name: c.name, createdAt: c.date.toISOString(), commit: c.commit }));
        const choice = lastHealthyCheckpoint(listed, recordedScores(ledger));
        if (choice === undefined) {
          const { AbortError } = await import('../../errors.js');
          throw new AbortError(`Health ${report.score.toFixed(1)} is below ${below}, and no checkpoint has a healthy recorded score to roll back to.`, {
            hint: 'Record the score of a good checkpoint with `choiros health --checkpoint NAME`.',
          });
        }
        if (args.json !== true) ctx.out.note(`Health ${report.score.toFixed(1)} is below ${below}: rolling back to ${choice.checkpoint.name} (recorded score ${choice.score.toFixed(1)}).`);
        // Unattended by design (the choreography's auto-rollback), and undoable like any rollback.
        const result = await checkpoints.rollback({ target: choice.checkpoint.name });
        const { restartAfterRollback } = await import('./rollback.js');
        const restarts = result.applied ? await restartAfterRollback(project, ctx) : { restarted: [] };
        rollback = { to: choice.checkpoint.name, score: choice.score, undo: result.undo?.name ?? null, restarted: restarts.restarted };
        if (args.json !== true && result.undo !== undefined) ctx.out.note(`The state before is saved as ${result.undo.name}: \`choiros rollback --undo\` returns to it.`);
      }
      if (args.json === true) ctx.out.json({ ...report, rollback });
      else printReport(ctx, report);
      return report.status === 'critical' ? 1 : 0;
    } finally {
      ledger.close();
    }
  },
});
