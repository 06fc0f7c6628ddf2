/**
 * Argv templates from choiros.yaml: `["claude", "-p", "{prompt}", "--model", "{model}"]`. Each
 * placeholder is filled inside its own argument, so a prompt with spaces, quotes or `$(…)` is
 * one argument and nothing is ever parsed by a shell. An argument that is only a placeholder
 * with no value is left out, and so is the option right before it (`--model {model}` without a
 * model), so one template serves sessions with and without a model or system prompt — except
 * after a shell's script (`["sh", "-c", "my-agent \"$1\" \"$2\"", "sh", "{model}", "{prompt}"]`):
 * those arguments are the script's "$1", "$2", …, and leaving one out would renumber the rest.
 * The same holds after an interpreter's code (`["python3", "-c", "…sys.argv[2]…", "{model}",
 * "{prompt}"]`). choiros.yaml refuses a placeholder inside the script or code itself
 * (config/agent-command.ts).
 */
import { codeArgumentsIn } from '../util/code-arguments.js';
import { shellScriptsIn } from '../util/shell-scripts.js';

export const PLACEHOLDERS = ['prompt', 'system', 'model', 'context_file'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TemplateValues = Partial<Record<Placeholder, string>>;

const PATTERN = /\{(prompt|system|model|context_file)\}/g;
const ONLY = /^\{(prompt|system|model|context_file)\}$/;

export function usesPlaceholder(template: readonly string[], name: Placeholder): boolean {
  return template.some((arg) => arg.includes(`{${name}}`));
}

export function expandTemplate(template: readonly string[], values: TemplateValues): string[] {
  const out: string[] = [];
  const scriptAt = Math.min(shellScriptsIn(template)[0]?.index ?? template.length, codeArgumentsIn(template)[0]?.index ?? template.length);
  for (const [index, arg] of template.entries()) {
    const only = ONLY.exec(arg)?.[1] as Placeholder | undefined;
    if (only !== undefined && (values[only] ?? '') === '' && index < scriptAt) {
      const previous = out.at(-1);
      if (previous !== undefined && previous.startsWith('-') && previous !== '--') out.pop();
      continue;
    }
    out.push(arg.replace(PATTERN, (_, name: Placeholder) => values[name] ?? ''));
  }
  return out;
}
