/**
 * A gate's options as every surface reads them — the run itself, `choiros approve`, the API and
 * the web page — so that an answer given anywhere means the same option.
 */

/** The options a waiting gate declared (its task's `inputs.options`), else plain Yes / No. */
export function gateOptions(inputs: unknown): string[] {
  const options = (inputs as { options?: unknown } | null)?.options;
  return Array.isArray(options) && options.length > 0 ? options.map(String) : ['Yes', 'No'];
}

/** The option that means no: "No" (or Reject, Refuse, Stop), else the second option. */
export function noOption(options: readonly string[]): string {
  return options.find((o) => /^(no|reject|refuse|stop)$/i.test(o)) ?? options[1] ?? 'No';
}

/** Options a person picks to send feedback with (`Modify`, `Change`, `Feedback`, `Revise`): they need the words. */
export const FEEDBACK_OPTION = /^(modify|change|feedback|revise)/i;

/** The gate's own spelling of an option named in any case, or undefined when it has none such. */
export function findOption(options: readonly string[], name: string): string | undefined {
  return options.find((o) => o.toLowerCase() === name.toLowerCase());
}
