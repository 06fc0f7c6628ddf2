import { AbortError } from '../../errors.js';
import { isExternal } from '../../ledger/external-runs.js';
import { runStatusText } from '../../ledger/model.js';
import { cancelDecision, cancelIdle, pauseDecision } from '../../loop/cancel.js';
import { ORPHAN_GRACE_MS } from '../../loop/reconcile.js';
import type { CommandSpec } from '../command.js';
import { runLockFile } from '../prose/run-lock.js';
import { knownRun, openLedger, withSecretsRedacted } from './ledger-access.js';
import { userName } from '../../util/user-name.js';

const WHAT: Record<'pause' | 'cancel', string> = {
  pause: 'it finishes its current step, then waits; continue it with `prose resume RUN`',
  cancel: "its agents' process trees are stopped and it is recorded as cancelled",
};

function endedNote(pids: readonly number[]): string {
  if (pids.length === 0) return '';
  return ` The process${pids.length === 1 ? '' : 'es'} its agents left running ${pids.length === 1 ? 'was' : 'were'} ended (pid ${pids.join(', ')}).`;
}

/**
 * `choiros pause RUN` / `choiros cancel RUN` only write a request to the ledger; the process
 * running the run reads it between steps and acts (DESIGN.md: run control through the ledger).
 */
function control(action: 'pause' | 'cancel'): CommandSpec {
  return {
    name: action,
    describe: action === 'pause' ? 'ask a run to pause after its current step' : 'ask a run to stop now and record it as cancelled',
    positionals: [{ name: 'run', describe: 'the run id', required: true }],
    options: { by: { type: 'string', describe: 'who asks (default: $USER, else your login name)' }, json: { type: 'boolean', describe: 'print the request as JSON' } },
    async run(args, ctx) {
      const { ledger, root, settled } = await openLedger(ctx);
      try {
        const runId = String(args.run);
        const run = knownRun(ledger, runId);
        if (isExternal(run)) throw new AbortError(`Run ${runId} is not a choiros-driven run: an external orchestrator logs it through the task API, so choiros cannot ${action} it.`);
        const by = (args.by as string | undefined) ?? userName(ctx.env);
        // Decided as the API decides (loop/cancel.ts).
        const decision = action === 'cancel' ? cancelDecision(run, runLockFile(root)) : pauseDecision(run);
        if (decision === 'here') {
          const grace = (await ctx.project()).config.stop_grace ?? ORPHAN_GRACE_MS;
          // Settled just now (its process had died) or earlier: either way its leftovers are ended.
          const ended = [...settled.filter((s) => s.run.id === runId).flatMap((s) => s.ended), ...(await cancelIdle(ledger, run, by, grace))];
          if (args.json === true) ctx.out.json({ run_id: runId, requested: action, by, run_status: 'cancelled', ended });
          else ctx.out.line(`Cancelled ${runId}: no process was running it (it was ${runStatusText(run.status)}).${endedNote(ended)}`);
          return 0;
        }
        if (decision === 'ended') throw new AbortError(`Run ${runId} already ended (${run.status}); there is nothing to ${action}.`);
        if (decision === 'asked') throw new AbortError(`Run ${runId} is already asked to ${action}.`);
        if (decision === 'cancelling') throw new AbortError(`Run ${runId} is already asked to cancel; a pause would keep it waiting instead.`);
        if (decision === 'paused') throw new AbortError(`Run ${runId} is already paused.`, { nextSteps: [`prose resume ${runId}`] });
        ledger.requestControl(runId, action, by);
        if (args.json === true) ctx.out.json({ run_id: runId, requested: action, by, run_status: run.status });
        else ctx.out.line(`Requested ${action} of ${runId}: ${WHAT[action].replace('RUN', runId)}.`);
        if (args.json !== true && run.pid === null) ctx.out.note(ctx.out.style.dim('No process has claimed this run; the request waits for the one that runs it.'));
      } finally {
        ledger.close();
      }
      return 0;
    },
  };
}

export const pause = withSecretsRedacted(control('pause'));
export const cancel = withSecretsRedacted(control('cancel'));
