import type { Task } from '../ledger/model.js';
import { gateOptions, noOption } from '../runtime/gate-options.js';

/**
 * How to answer a waiting task from another terminal, with the option each command picks:
 * "choiros approve 19" alone does not say that it means "Continue" to a run stuck on the same
 * failure, nor how to pick "Modify".
 */
export function answerHint(task: Pick<Task, 'id' | 'inputs'>): string {
  const options = gateOptions(task.inputs);
  const [first = 'Yes'] = options;
  const no = noOption(options);
  const others = options.filter((o) => o !== first && o !== no);
  return [`choiros approve ${task.id} (${first})`, `choiros reject ${task.id} (${no})`, ...others.map((o) => `choiros approve ${task.id} --option ${o}`)].join(' | ') + ' [--feedback TEXT]';
}
