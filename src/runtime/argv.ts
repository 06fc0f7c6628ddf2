/**
 * `exec "command {x}"` → argv, without a shell. The command text is split into words first
 * (spaces separate; '…' and "…" quote; a backslash escapes), and only then are `{x}`
 * interpolations filled in, inside their word: a value with spaces, quotes, `$(…)`, backticks or
 * `; rm -rf` is one argument, never parsed. A list standing alone as a word gives one argument
 * per item.
 *
 * A word that a shell runs as a script (`sh -c 'echo {x}'`, `env bash -lc "…"`) would make its
 * values code again, so there each value becomes a positional parameter ("${1}", …) passed after
 * the script, as with `shell: true`; where that cannot work (a nested shell inside the script,
 * fish or csh, a script that is only a value) the command is refused.
 *
 * With `shell: true` the text goes to `/bin/sh -c`, and each interpolation becomes a positional
 * parameter ("$1", "$2", …) passed beside the script, so even then no value is ever read by the
 * shell as code.
 */
import type { Interpolation } from '../prose/index.js';
import { CommandSyntaxError, splitWords, type Filled } from '../util/command-words.js';
import { guardArgv, parameterize, refusal, type Piece } from '../util/shell-scripts.js';
import { isArray, toText, type Value } from './values.js';

export type Resolve = (path: readonly string[]) => Value | undefined;

export { CommandSyntaxError as ArgvError };

function filled(value: Value | undefined): Filled | undefined {
  if (value === undefined) return undefined;
  return isArray(value) ? { text: toText(value), items: value.map(toText) } : { text: toText(value) };
}

export function splitCommand(text: string, interpolations: readonly Interpolation[], resolve: Resolve): string[] {
  const guarded = guardArgv(splitWords(text, interpolations, (i) => filled(resolve(i.path))));
  if ('refused' in guarded) throw new CommandSyntaxError(`refusing ${guarded.refused}. ${guarded.hint}`);
  return guarded.argv;
}

/** The script for `/bin/sh -c` and the values it refers to as "$1", "$2", … */
export function shellCommand(text: string, interpolations: readonly Interpolation[], resolve: Resolve): { script: string; params: string[] } {
  const pieces: Piece[] = [];
  const holes: Interpolation[] = [];
  let literal = '';
  let quote: 'none' | 'single' | 'double' = 'none';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    const interpolation = char === '{' ? interpolations.find((x) => x.start === i) : undefined;
    const value = interpolation === undefined ? undefined : resolve(interpolation.path);
    if (interpolation !== undefined && value !== undefined) {
      pieces.push(literal, { value: toText(value) });
      holes.push(interpolation);
      literal = '';
      i = interpolation.end - 1;
      continue;
    }
    literal += char;
    // An escaped brace is the shell's, not an interpolation.
    if (char === '\\' && quote !== 'single' && i + 1 < text.length) literal += text[++i];
    else if (char === "'" && quote !== 'double') quote = quote === 'single' ? 'none' : 'single';
    else if (char === '"' && quote !== 'single') quote = quote === 'double' ? 'none' : 'double';
  }
  pieces.push(literal);
  const why = refusal(text, holes);
  if (why !== undefined) throw new CommandSyntaxError(`refusing this shell command: ${why}. Use the value in the script itself, where it is "$1", or pass it through \`env:\``);
  return parameterize(pieces, 1);
}
