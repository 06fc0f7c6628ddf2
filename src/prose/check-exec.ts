import type { Exec, Interpolation } from './ast.js';
import type { CheckContext } from './checker.js';
import { propertyNamed } from './check-properties.js';
import type { Scope } from './scope.js';
import { CommandSyntaxError, splitWords } from '../util/command-words.js';
import { guardArgv, refusal } from '../util/shell-scripts.js';

/**
 * `exec` commands that would hand a value to a shell as code, where the checker can see them
 * (the interpreter refuses the same commands when it runs them): `shell: true` on a command not
 * written in the `exec` itself (P119), whose values were filled in before and cannot be passed
 * as "$1"; and a value inside a shell script that cannot be passed as a parameter (P120) — in a
 * nested shell, `eval` or fish's script, or a script that is nothing but a value.
 */
export function checkExec(context: CheckContext, exec: Exec, scope: Scope): void {
  const shellProperty = propertyNamed(exec.properties, 'shell')?.value;
  const shell = shellProperty?.kind === 'Boolean' ? shellProperty.value : undefined;
  const { command } = exec;
  if (command.kind !== 'String') {
    if (shell === true) context.sink.report('P119', command.span, '`shell: true` needs the command written as a string in the `exec`: a computed command had its values filled in already, so the shell cannot get them as "$1"', 'Write `exec "… {x} …"` with `shell: true`, or drop `shell: true` to run the value as argv words.');
    return;
  }
  // Braces naming nothing bound stay literal text: only bound names are values.
  const bound = command.interpolations.filter((i) => i.path[0] !== undefined && scope.lookup(i.path[0]) !== undefined);
  if (bound.length === 0 || (shell === undefined && shellProperty !== undefined)) return;
  const why = shell === true ? shellRefusal(command.value, bound) : argvRefusal(command.value, bound);
  if (why !== undefined) context.sink.report('P120', command.span, why.refused, `${why.hint}.`);
}

interface Refused {
  refused: string;
  hint: string;
}

function shellRefusal(text: string, bound: readonly Interpolation[]): Refused | undefined {
  const refused = refusal(text, bound);
  return refused === undefined ? undefined : { refused, hint: 'Use the value in the script itself, where it is "$1", or pass it through `env:`' };
}

function argvRefusal(text: string, bound: readonly Interpolation[]): Refused | undefined {
  try {
    const guarded = guardArgv(splitWords(text, bound, (i) => ({ text: text.slice(i.start, i.end) })));
    return 'refused' in guarded ? guarded : undefined;
  } catch (error) {
    // An unterminated quote is the interpreter's error to report, with its own message.
    if (error instanceof CommandSyntaxError) return undefined;
    throw error;
  }
}
