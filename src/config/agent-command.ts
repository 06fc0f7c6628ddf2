import type { z } from 'zod';
import { CommandSyntaxError, piecesOf, splitWords, type Word } from '../util/command-words.js';
import { codeArgumentsIn, passing } from '../util/code-arguments.js';
import { parameterize, shellScriptsIn, sshCommandIn } from '../util/shell-scripts.js';

const PLACEHOLDER = /\{(prompt|system|model|context_file)\}/g;

/** A template's words, with where its placeholders are (they are values the agent call fills in). */
function templateWords(command: string | readonly string[]): Word[] {
  const words = typeof command === 'string' ? splitWords(command, [], () => undefined).map((w) => w.text) : command;
  return words.map((text) => ({ text, values: [...text.matchAll(PLACEHOLDER)].map((m) => ({ start: m.index, end: m.index + m[0].length })) }));
}

/**
 * An agent's `command:` may not put a placeholder inside a shell's script (`["sh", "-c", "echo
 * {prompt}"]`): the prompt, built from program text, run arguments and other agents' output,
 * would run as shell code. The error shows the same template with the placeholders passed after
 * the script as its arguments, which a shell reads as "$1", "$2", … and never runs. Nor in ssh's
 * remote command, which the remote shell runs as one line: there the prompt goes on stdin. Nor in
 * the code an interpreter runs (`python3 -c`, `node -e`, `perl -e`…, see util/code-arguments.ts)
 * or a non-POSIX shell's script (`pwsh -Command` joins the words after it into the script): the
 * prompt goes in an argument of its own, or on stdin.
 */
export function checkAgentCommand(command: string | readonly string[] | undefined, ctx: z.RefinementCtx): void {
  if (command === undefined) return;
  let words: Word[];
  try {
    words = templateWords(command);
  } catch (error) {
    if (!(error instanceof CommandSyntaxError)) throw error;
    ctx.addIssue({ code: 'custom', path: ['command'], message: error.message });
    return;
  }
  const argv = words.map((w) => w.text);
  const at = (index: number) => (typeof command === 'string' ? ['command'] : ['command', index]);
  const remote = sshCommandIn(argv);
  const remoteAt = remote === undefined ? -1 : words.findIndex((w, i) => i >= remote && w.values.length > 0);
  if (remoteAt >= 0) {
    ctx.addIssue({ code: 'custom', path: at(remoteAt), message: 'a placeholder in the remote command of `ssh` would run as shell code on the remote host; send the prompt on stdin instead (`stdin: true`, no placeholder in the command)' });
  }
  for (const code of codeArgumentsIn(argv)) {
    const word = words[code.index];
    if (word === undefined || word.values.length === 0) continue;
    const names = word.values.map((v) => word.text.slice(v.start, v.end));
    ctx.addIssue({
      code: 'custom',
      path: at(code.index),
      message: `${names.join(', ')} inside the code that \`${code.program} ${code.option}\` runs would run as ${code.language} code; pass ${passing(code, names.length > 1)}, or send the prompt on stdin (\`stdin: true\`)`,
    });
  }
  for (const { index, shell, posix } of shellScriptsIn(argv)) {
    const word = words[index];
    if (word === undefined || word.values.length === 0) continue;
    if (!posix) {
      const names = word.values.map((v) => word.text.slice(v.start, v.end));
      ctx.addIssue({ code: 'custom', path: at(index), message: `${names.join(', ')} inside the \`${shell}\` script would run as shell code, and ${shell} does not read the words after its script as "$1"; send the prompt on stdin instead (\`stdin: true\`, no placeholder in the command)` });
      continue;
    }
    const after = argv.length - index - 1;
    const { script, params } = parameterize(piecesOf(word), after === 0 ? 1 : after);
    const safe = [...argv.slice(0, index), script, ...argv.slice(index + 1), ...(after === 0 ? [shell] : []), ...params];
    ctx.addIssue({
      code: 'custom',
      path: at(index),
      message: `${params.join(', ')} inside the \`${shell} -c\` script would run as shell code; pass ${params.length > 1 ? 'them' : 'it'} after the script, as its arguments: ${JSON.stringify(safe)}`,
    });
  }
}
