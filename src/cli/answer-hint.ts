import type { Task } from '../ledger/model.js';
import { noOption } from '../runtime/approvals.js';

/** The options of a task that waits for a human, as the gate offered them (Yes / No without any). */
export function gateOptions(task: Pick<Task, 'inputs'>): string[] {
  const options = (task.inputs as { options?: unknown } | null)?.options;
  return Array.isArray(options) ? options.map(String) : ['Yes', 'No'];
}

/**
 * How to answer a waiting task from another terminal, with the option each command picks:
 * "choiros approve 19" alone does not say that it means "Continue" to a run stuck on the same
 * failure, nor how to pick "Modify".
 */
export function answerHint(task: Pick<Task, 'id' | 'inputs'>): string {
  const options = gateOptions(task);
  const [first = 'Yes'] = options;
  const no = noOption(options);
  const others = options.filter((o) => o !== first && o !== no);
  return [`choiros approve ${task.id} (${first})`, `choiros reject ${task.id} (${no})`, ...others.map((o) => `choiros approve ${task.id} --option ${o}`)].join(' | ') + ' [--feedback TEXT]';
}
