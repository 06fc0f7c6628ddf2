/**
 * Shell scripts inside commands. The rule (DESIGN.md): program text, run arguments and agent
 * output never reach a shell unquoted. An argv with no shell keeps a value inert as one argument —
 * unless that argument is itself a script a shell will run (`sh -c SCRIPT`, `env bash -lc SCRIPT`,
 * `xargs sh -c SCRIPT`). This module finds such scripts, hands values to a POSIX shell's script as
 * positional parameters ("${1}", "${2}", …) that the script refers to, and says where a value
 * cannot be passed that way: inside a nested shell's script, `eval`, a `trap` action, a shell
 * reading its script from stdin, the script of a shell with other rules (fish, csh, pwsh),
 * ssh's remote command, which the remote shell runs as one line, or the code an interpreter runs
 * (`python -c`, `node -e`: see code-arguments.ts).
 */
import { codeArgumentsIn, passing } from './code-arguments.js';
import { piecesOf, type Word } from './command-words.js';
import { shellCommands, type ShellCommand } from './shell-lexer.js';

/** Shells whose `-c` script reads the words after it as "$0", "$1", … */
const POSIX_SHELLS = new Set(['sh', 'bash', 'rbash', 'dash', 'zsh', 'ksh', 'mksh', 'pdksh', 'oksh', 'ash', 'yash', 'posh']);
/** Shells with other quoting and parameter rules: no value ever goes into their scripts. */
const OTHER_SHELLS = new Set(['fish', 'csh', 'tcsh', 'rc', 'es', 'nu', 'elvish', 'xonsh', 'pwsh', 'powershell']);
/** Words that run the command after them (`env sh`, `exec bash`), for a shell that reads stdin. */
const WRAPPERS = new Set(['env', 'exec', 'command', 'builtin', 'nohup', 'nice', 'time', 'sudo', 'doas']);

export interface ShellScript {
  /** The script's word in the argv. */
  index: number;
  /** The shell's name: the script's `$0` when the argv gives none. */
  shell: string;
  posix: boolean;
}

export interface Span {
  start: number;
  end: number;
}

/** Text another interpreter runs as code, and which one (`a nested \`bash -c\``). */
export interface CodeSpan extends Span {
  what: string;
}

export type Piece = string | { value: string };

/** `/usr/bin/bash`, `ksh93`, `bash5.2` → the shell's name, or undefined for another program. */
function shellName(word: string): string | undefined {
  const name = word.slice(word.lastIndexOf('/') + 1).replace(/[\d.]+$/, '');
  return POSIX_SHELLS.has(name) || OTHER_SHELLS.has(name) ? name : undefined;
}

/** Where a POSIX shell's options starting at `from` end, and whether they include `-c` (`-ec`, `-o pipefail -c`). */
function posixOptions(words: readonly string[], from: number): { operand: number; command: boolean; stdin: boolean } {
  let command = false;
  let stdin = false;
  let i = from;
  for (; i < words.length; i++) {
    const word = words[i] as string;
    if (word === '--' || word === '-') return { operand: i + 1, command, stdin };
    if (!/^[-+]./.test(word)) break;
    if (word.startsWith('--')) {
      if (word === '--rcfile' || word === '--init-file') i++;
      continue;
    }
    if (word.startsWith('-') && word.includes('c')) command = true;
    if (word.startsWith('-') && word.includes('s')) stdin = true;
    // `-o pipefail`, `+O extglob`: the option's name is the next word.
    if (/[oO]/.test(word)) i++;
  }
  return { operand: i, command, stdin };
}

/** PowerShell's `-EncodedCommand` and the abbreviations it takes (`-e`, `-ec`, `-enc`, …): base64 of the script. */
function encodedCommand(word: string): boolean {
  const name = word.toLowerCase().replace(/^--?/, '');
  return word.startsWith('-') && (name === 'e' || name === 'ec' || (name.startsWith('en') && 'encodedcommand'.startsWith(name)));
}

/**
 * The script word of fish, csh, pwsh and the like: after `-c`/`-C`/`--command`/`-Command` (or
 * pwsh's `-EncodedCommand`), or in `--command=…`.
 */
function otherScript(words: readonly string[], from: number, shell: string): number | undefined {
  const powershell = shell === 'pwsh' || shell === 'powershell';
  for (let i = from; i < words.length; i++) {
    const word = words[i] as string;
    if (powershell && encodedCommand(word)) return i + 1 < words.length ? i + 1 : undefined;
    if (/^--?(command|commands|init-command)=/i.test(word)) return i;
    if (/^-[a-z]*c$/i.test(word) || /^--?(command|commands|init-command)$/i.test(word)) return i + 1 < words.length ? i + 1 : undefined;
  }
  return undefined;
}

/** The shell scripts in an argv: the `-c` operand of each shell, wherever the shell stands (`env bash -c`, `xargs sh -c`). */
export function shellScriptsIn(words: readonly string[]): ShellScript[] {
  const scripts: ShellScript[] = [];
  for (let i = 0; i < words.length; i++) {
    const shell = shellName(words[i] as string);
    if (shell === undefined) continue;
    const posix = POSIX_SHELLS.has(shell);
    let index: number | undefined;
    if (posix) {
      const { operand, command } = posixOptions(words, i + 1);
      index = command && operand < words.length ? operand : undefined;
    } else index = otherScript(words, i + 1, shell);
    if (index === undefined) continue;
    scripts.push({ index, shell, posix });
    // The words after a script are its arguments, which may run another shell: `sh -c '"$@"' _ bash -c …`.
    i = index;
  }
  return scripts;
}

/** ssh's options that take a value (`-p 22`, `-p22`, `-vp 22`). */
const SSH_VALUE_OPTIONS = new Set('BbcDEeFIiJLlmOoPpQRSWw');

/**
 * Where ssh's remote command starts in an argv: ssh joins the words after the destination with
 * spaces and the remote user's shell runs that line, so a value there is code on the remote host
 * and cannot be passed as an argument instead.
 */
export function sshCommandIn(words: readonly string[]): number | undefined {
  const at = words.findIndex((w) => w.slice(w.lastIndexOf('/') + 1) === 'ssh');
  if (at < 0) return undefined;
  let i = at + 1;
  for (; i < words.length; i++) {
    const word = words[i] as string;
    if (word === '--') {
      i++;
      break;
    }
    if (!word.startsWith('-') || word.length < 2) break;
    if ([...word.slice(1)].findIndex((c) => SSH_VALUE_OPTIONS.has(c)) === word.length - 2) i++;
  }
  // words[i] is the destination.
  return i + 1 < words.length ? i + 1 : undefined;
}

/** The index of the word a simple command runs, past assignments and wrappers (`X=1 env -i sh`). */
function commandWord(words: readonly string[]): number {
  let i = 0;
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i] as string)) i++;
  while (i < words.length && WRAPPERS.has(words[i] as string)) {
    i++;
    while (i < words.length && /^-|^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i] as string)) i++;
  }
  return i;
}

/** A shell that reads its script from stdin (`… | sh`, `bash -s`, `sh <<EOF`). */
function readsStdin(words: readonly string[], at: number): boolean {
  const shell = shellName(words[at] ?? '');
  if (shell === undefined) return false;
  if (!POSIX_SHELLS.has(shell)) return otherScript(words, at + 1, shell) === undefined;
  const { operand, command, stdin } = posixOptions(words, at + 1);
  return !command && (stdin || operand >= words.length);
}

function codeOf(command: ShellCommand, script: string): CodeSpan[] {
  const words = command.words.map((w) => w.text);
  const spans: CodeSpan[] = [];
  for (const nested of shellScriptsIn(words)) {
    const word = command.words[nested.index];
    if (word !== undefined) spans.push({ start: word.start, end: word.end, what: `a nested \`${nested.shell} -c\`` });
  }
  for (const code of codeArgumentsIn(words)) {
    const word = command.words[code.index];
    if (word !== undefined) spans.push({ start: word.start, end: word.end, what: `the code \`${code.program} ${code.option}\` runs` });
  }
  const remote = command.words[sshCommandIn(words) ?? words.length];
  if (remote !== undefined) spans.push({ start: remote.start, end: command.end, what: 'the remote command of `ssh`' });
  const at = commandWord(words);
  const first = command.words[at + 1];
  const name = words[at];
  if ((name === 'eval' || name === 'trap') && first !== undefined) spans.push({ start: first.start, end: command.end, what: `\`${name}\`` });
  // The script comes from the commands piped into it, or a heredoc: the lines after it, to the end (unread).
  if (name !== undefined && readsStdin(words, at)) spans.push({ start: command.pipelineStart, end: command.heredoc ? script.length : command.end, what: `a \`${shellName(name) ?? name}\` that reads its script from a pipe or heredoc` });
  return spans;
}

/** The parts of a shell script that another interpreter reads as code: a value there is code again. */
export function codeSpans(script: string): CodeSpan[] {
  return shellCommands(script).flatMap((command) => codeOf(command, script));
}

/**
 * A script whose values become positional parameters: each value is "${n}" (n from `first` on),
 * quoted to fit where it stands — inside '…' it closes and reopens the quotes — and the values
 * come back in order, to be passed after the script. A value never becomes script text.
 */
export function parameterize(pieces: readonly Piece[], first: number): { script: string; params: string[] } {
  const params: string[] = [];
  let script = '';
  let quote: 'none' | 'single' | 'double' = 'none';
  for (const piece of pieces) {
    if (typeof piece !== 'string') {
      params.push(piece.value);
      const ref = `\${${first + params.length - 1}}`;
      script += quote === 'double' ? ref : quote === 'single' ? `'"${ref}"'` : `"${ref}"`;
      continue;
    }
    for (let i = 0; i < piece.length; i++) {
      const char = piece[i] as string;
      script += char;
      if (char === '\\' && quote !== 'single' && i + 1 < piece.length) script += piece[++i];
      else if (char === "'" && quote !== 'double') quote = quote === 'single' ? 'none' : 'single';
      else if (char === '"' && quote !== 'single') quote = quote === 'double' ? 'none' : 'double';
    }
  }
  return { script, params };
}

/**
 * Why a script's values cannot be passed as parameters, or undefined when they can: `holes` are
 * the values' places in `script`. A script with nothing but values is refused too — running a
 * value as a script is what this module exists to prevent.
 */
export function refusal(script: string, holes: readonly Span[]): string | undefined {
  if (holes.length === 0) return undefined;
  let rest = script;
  for (const hole of [...holes].reverse()) rest = rest.slice(0, hole.start) + rest.slice(hole.end);
  if (rest.trim() === '') return 'the whole script would be a value, and a value never runs as shell code';
  const spans = codeSpans(neutral(script, holes));
  const inside = spans.find((span) => holes.some((hole) => hole.start < span.end && hole.end > span.start));
  return inside === undefined ? undefined : `a value would run as code in ${inside.what}`;
}

/**
 * An argv whose values may fill a shell's script: the argv with that script's values passed as
 * its positional parameters (after the words that follow it, which are its $0, $1, …), or why
 * they cannot be.
 */
export function guardArgv(words: readonly Word[]): { argv: string[] } | { refused: string; hint: string } {
  const argv = words.map((w) => w.text);
  const remote = sshCommandIn(argv);
  if (remote !== undefined && words.slice(remote).some((w) => w.values.length > 0)) return { refused: 'a value in the remote command of `ssh`: the remote shell would run it as code', hint: 'Send the value on stdin or in a file, and let the remote command read it from there' };
  const code = codeArgumentsIn(argv).find((c) => (words[c.index]?.values.length ?? 0) > 0);
  if (code !== undefined) return { refused: `a value inside the code that \`${code.program} ${code.option}\` runs: ${code.language} would run it as code`, hint: `Pass ${passing(code, false).replace(/^it /, 'the value ')}, or through \`env:\`, and read it from there` };
  const filled = shellScriptsIn(argv).filter((s) => (words[s.index]?.values.length ?? 0) > 0);
  const found = filled[0];
  const word = found === undefined ? undefined : words[found.index];
  if (found === undefined || word === undefined) return { argv };
  const why = filled.length > 1 ? 'values go into more than one shell script' : found.posix ? refusal(word.text, word.values) : `${found.shell} does not take values as "$1"`;
  if (why !== undefined) return { refused: `a value inside the \`${found.shell} -c\` script: ${why}`, hint: 'Pass the value through `env:` and read it from the environment, or as an argument after the script' };
  const after = argv.length - found.index - 1;
  const { script, params } = parameterize(piecesOf(word), after === 0 ? 1 : after);
  return { argv: [...argv.slice(0, found.index), script, ...argv.slice(found.index + 1), ...(after === 0 ? [found.shell] : []), ...params] };
}

/** The script with every value replaced by letters of the same length: a value's quotes must not steer the lexer. */
function neutral(script: string, holes: readonly Span[]): string {
  let out = script;
  for (const { start, end } of holes) out = out.slice(0, start) + 'v'.repeat(end - start) + out.slice(end);
  return out;
}
