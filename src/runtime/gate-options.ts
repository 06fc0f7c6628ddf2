/**
 * A gate's options as every surface reads them — the run itself, `choiros approve`, the API and
 * the web page (which is sent them, see `gateChoices`) — so that an answer given anywhere means
 * the same option and is refused for the same reasons.
 */

/** The options a waiting gate declared (its task's `inputs.options`), else plain Yes / No. */
export function gateOptions(inputs: unknown): string[] {
  const options = (inputs as { options?: unknown } | null)?.options;
  return Array.isArray(options) && options.length > 0 ? options.map(String) : ['Yes', 'No'];
}

/** Options a person picks to send feedback with (`Modify`, `Change`, `Feedback`, `Revise`): they need the words. */
export const FEEDBACK_OPTION = /^(modify|change|feedback|revise)/i;

/**
 * The option that means no: "No" (or Reject, Refuse, Stop), else the first after the first that
 * asks for no feedback, else "No" itself. An option that asks for words (`Modify`) is a yes with
 * changes, never the no: for `[Yes, Modify]` a reject answers "No", which the gate did not list.
 */
export function noOption(options: readonly string[]): string {
  return options.find((o) => /^(no|reject|refuse|stop)$/i.test(o)) ?? options.slice(1).find((o) => !FEEDBACK_OPTION.test(o)) ?? 'No';
}

/** The gate's own spelling of an option named in any case, or undefined when it has none such. */
export function findOption(options: readonly string[], name: string): string | undefined {
  return options.find((o) => o.toLowerCase() === name.toLowerCase());
}

/** What a surface shows of a waiting gate: its options, the one a reject picks, and those that need feedback. */
export interface GateChoices {
  options: string[];
  noOption: string;
  needsFeedback: string[];
}

export function gateChoices(inputs: unknown): GateChoices {
  const options = gateOptions(inputs);
  return { options, noOption: noOption(options), needsFeedback: options.filter((o) => FEEDBACK_OPTION.test(o)) };
}

/** An answer's option as the gate spells it (null: none named), or why it is refused and which field is wrong. */
export type OptionCheck = { kind: 'picked'; option: string | null } | { kind: 'refused'; field: 'option' | 'feedback'; problem: string };

/**
 * The option an answer names, checked against the gate's options the same way for `choiros
 * approve --option` and `POST /runs/{id}/approve`. None named is fine (approve means the first
 * option, reject the one that means no). Refused: any option on a reject; an option the gate does
 * not have; the no-option on an approve (recorded as approved, it would read as a yes until the
 * run finished the gate); an option that asks for words (`Modify`) without feedback.
 */
export function checkOption(options: readonly string[], state: 'approved' | 'rejected', option: string | null | undefined, feedback: string | null | undefined): OptionCheck {
  if (option === null || option === undefined) return { kind: 'picked', option: null };
  const refused = (field: 'option' | 'feedback', problem: string): OptionCheck => ({ kind: 'refused', field, problem });
  if (state === 'rejected') return refused('option', `goes with approve; reject always picks the option that means no (${noOption(options)})`);
  const found = findOption(options, option);
  if (found === undefined) return refused('option', `the gate has no option '${option}' (its options: ${options.join(', ')})`);
  if (found === noOption(options)) return refused('option', `${found} means no: answer it with reject`);
  if (FEEDBACK_OPTION.test(found) && (feedback ?? '').trim() === '') return refused('feedback', `required with option ${found} (say what the agent should change)`);
  return { kind: 'picked', option: found };
}
