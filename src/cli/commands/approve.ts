import { AbortError, UsageError } from '../../errors.js';
import { LedgerError, type Ledger } from '../../ledger/ledger.js';
import type { Task } from '../../ledger/model.js';
import { runnerAlive } from '../../loop/reconcile.js';
import type { CommandSpec } from '../command.js';
import { checkOption, gateOptions } from '../../runtime/gate-options.js';
import { answerHint } from '../answer-hint.js';
import { runLockFile } from '../prose/run-lock.js';
import { openLedger, redacting, projectRedactor, withSecretsRedacted } from './ledger-access.js';
import { userName } from '../../util/user-name.js';

type Answer = 'approved' | 'rejected';

/** TASK is a task id, or a run id whose one waiting task is meant. */
function waitingTask(ledger: Ledger, ref: string): Task {
  if (/^\d+$/.test(ref)) {
    const task = ledger.findTask(Number(ref));
    if (task === undefined) throw new UsageError(`There is no task ${ref}.`, { hint: 'Tasks waiting for approval: choiros runs --status awaiting_approval' });
    return task;
  }
  if (ledger.findRun(ref) === undefined) throw new UsageError(`There is no task or run '${ref}'.`, { hint: 'Give the task id that waits (choiros runs --status awaiting_approval), or its run id.' });
  const waiting = ledger.awaitingApproval(ref).filter((t) => t.approvalState !== 'approved' && t.approvalState !== 'rejected');
  if (waiting.length === 1 && waiting[0] !== undefined) return waiting[0];
  if (waiting.length === 0) throw new UsageError(`Run ${ref} has no task waiting for approval.`);
  throw new UsageError(`Run ${ref} has ${waiting.length} tasks waiting for approval: name one.`, { hint: waiting.map((t) => `${t.id}: ${t.task}`).join('; ') });
}

/**
 * `--option NAME` must be one of the gate's options (any case), checked as the API checks it:
 * not on a reject, not the option that means no, and `Modify` and the like only with --feedback.
 */
function pickedOption(task: Task, answer: Answer, option: string | undefined, feedback: string | undefined): string | undefined {
  const check = checkOption(gateOptions(task.inputs), answer, option, feedback);
  if (check.kind === 'picked') return check.option ?? undefined;
  throw new UsageError(`--${check.field}: ${check.problem}.`, { hint: answerHint(task) });
}

function answerCommand(answer: Answer): CommandSpec {
  const verb = answer === 'approved' ? 'approve' : 'reject';
  return {
    name: verb,
    describe: `${verb} a gate that waits for a human; \`prose resume RUN\` then goes on with the answer`,
    positionals: [{ name: 'task', describe: 'the waiting task id (or its run id, when one task waits)', required: true }],
    options: {
      by: { type: 'string', describe: 'who answers (default: $USER, else your login name)' },
      feedback: { type: 'string', describe: 'words for the agent: the gate value\u2019s .feedback' },
      ...(answer === 'approved' ? { option: { type: 'string' as const, describe: 'the option picked, when not the first (e.g. Modify)' } } : {}),
      json: { type: 'boolean', describe: 'print the answer as JSON' },
    },
    examples:
      answer === 'approved'
        ? [
            ['choiros approve 42', 'the first option (Yes)'],
            ['choiros approve 42 --option Modify --feedback "use port 9090"', 'another option, with feedback for the agent'],
          ]
        : [['choiros reject 42 --feedback "not before the release"', 'the option that means no']],
    async run(args, ctx) {
      const { ledger, root } = await openLedger(ctx);
      const redactor = await projectRedactor(ctx);
      const out = redacting(ctx.out, redactor);
      try {
        const task = waitingTask(ledger, String(args.task));
        const option = pickedOption(task, answer, args.option as string | undefined, args.feedback as string | undefined);
        // Nothing a secret of the environment is pasted into reaches the ledger (nor the agent's next prompt).
        const by = redactor.redact((args.by as string | undefined) ?? userName(ctx.env) ?? '') || null;
        const given = args.feedback as string | undefined;
        const feedback = given === undefined ? null : redactor.redact(given);
        try {
          ledger.answerApproval(task.id, { state: answer, approver: by, feedback, ...(option === undefined ? {} : { option }) });
        } catch (error) {
          if (!(error instanceof LedgerError)) throw error;
          const answered = task.approvalState === 'approved' || task.approvalState === 'rejected';
          throw new AbortError(error.message, { hint: answered ? `prose resume ${task.runId} goes on with that answer.` : 'Tasks waiting for approval: choiros runs --status awaiting_approval' });
        }
        // An orchestrator's run reads the answer from the task itself, and a run whose process
        // waits at a prompt reads it from the ledger: neither needs resuming.
        const run = ledger.findRun(task.runId);
        const external = run?.origin === 'external';
        const live = run !== undefined && run.status === 'running' && runnerAlive(run, runLockFile(root));
        const resume = external || live ? null : `prose resume ${task.runId}`;
        if (args.json === true) out.json({ task: task.id, run_id: task.runId, name: task.task, state: answer, option: option ?? null, approver: by, feedback, resume });
        else {
          out.line(`${answer === 'approved' ? 'Approved' : 'Rejected'} task ${task.id} (${task.task} of ${task.runId})${option === undefined ? '' : ` as ${option}`}${feedback === null ? '' : ', with feedback'}.`);
          out.line(external ? 'The orchestrator that logged it reads the answer from the task.' : live ? 'The run goes on: its process reads the answer from the ledger.' : `Continue the run: ${resume ?? ''}`);
        }
      } finally {
        ledger.close();
      }
      return 0;
    },
  };
}

export const approve = withSecretsRedacted(answerCommand('approved'));
export const reject = withSecretsRedacted(answerCommand('rejected'));
