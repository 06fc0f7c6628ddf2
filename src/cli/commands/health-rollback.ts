import { AbortError } from '../../errors.js';
import type { RollbackPreview } from '../../git/rollback.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { HealthReport } from '../../health/score.js';
import type { CommandContext } from '../command.js';
import type { ProjectState, TreeRef } from './health-trees.js';

export interface HealthRollback {
  to: string;
  score: number;
  applied: boolean;
  /** Someone said no at the prompt. */
  cancelled: boolean;
  undo: string | null;
  restarted: string[];
}

export interface RollbackRequest {
  state: ProjectState;
  report: HealthReport;
  below: number;
  /** --yes: no question; without it a terminal is asked (the command refused already without one). */
  yes: boolean;
  json: boolean;
  ledger: Ledger;
  score: (checkpoint: TreeRef) => Promise<HealthReport>;
}

/**
 * Rolls the work tree back to the newest checkpoint whose health is healthy — its recorded
 * score, or its own tree scored now and recorded — undoably, like any rollback. A config that
 * does not validate does not stop it (a broken choiros.yaml is one reason to roll back): the
 * default checkpoint settings are used then, and no window is restarted.
 */
export async function rollBackOnHealth(r: RollbackRequest, ctx: CommandContext): Promise<HealthRollback> {
  const note = (text: string) => (r.json ? undefined : ctx.out.note(text));
  const [{ healthyCheckpoint }, { recordHealth, recordedScores }, { Checkpoints, DEFAULT_SETTINGS, settingsFromConfig }] = await Promise.all([
    import('../../health/checkpoints.js'),
    import('../../health/record.js'),
    import('../../git/index.js'),
  ]);
  const { project, configProblem } = r.state;
  if (project === undefined) note(`choiros.yaml is not valid (${configProblem ?? 'unreadable'}): rolling back with the default checkpoint settings; no window is restarted.`);
  const checkpoints = new Checkpoints(r.state.root, project === undefined ? DEFAULT_SETTINGS : settingsFromConfig(project.config.checkpoints), ctx.env);
  const listed = (await checkpoints.list()).checkpoints;
  let scoredNow = 0;
  const choice = await healthyCheckpoint(
    listed.map((c) => ({ name: c.name, createdAt: c.date.toISOString(), commit: c.commit, verdict: c.verdict })),
    recordedScores(r.ledger),
    async ({ name }) => {
      const checkpoint = listed.find((c) => c.name === name);
      if (checkpoint === undefined) return undefined;
      const scored = await r.score(checkpoint);
      scoredNow += 1;
      recordHealth(r.ledger, scored, name);
      return scored.score;
    },
  );
  const now = r.report.score.toFixed(1);
  if (choice === undefined) {
    const looked = listed.filter((c) => c.verdict !== 'bad').length;
    const why = listed.length === 0 ? 'there is none' : looked === 0 ? 'verification marked every one bad' : `${looked} looked at, ${scoredNow} of them scored now`;
    throw new AbortError(`Health ${now} is below ${r.below}, and no checkpoint is healthy to roll back to (${why}).`, {
      hint: 'Nothing was changed. A checkpoint of a healthy tree is one to come back to: `choiros checkpoint --verdict good`.',
    });
  }
  const target = choice.checkpoint.name;
  note(`Health ${now} is below ${r.below}: rolling back to ${target} (its health ${choice.score.toFixed(1)}).`);
  const { ask } = await import('./rollback.js');
  const confirm = async (preview: RollbackPreview) => ask(`Roll back ${preview.changes.length === 1 ? '1 file' : `${preview.changes.length} files`} to ${target}? [y/N] `, ctx);
  const result = await checkpoints.rollback({ target, ...(r.yes ? {} : { confirm }) });
  const { restartAfterRollback } = await import('./rollback.js');
  const restarts = result.applied && project !== undefined ? await restartAfterRollback(project, ctx) : { restarted: [] };
  if (result.applied && result.undo !== undefined) note(`The state before is saved as ${result.undo.name}: \`choiros rollback --undo\` returns to it.`);
  else if (!result.applied && !result.preview.upToDate) note('Rollback cancelled: nothing was changed.');
  return { to: target, score: choice.score, applied: result.applied, cancelled: !result.applied && !result.preview.upToDate, undo: result.undo?.name ?? null, restarted: restarts.restarted };
}
