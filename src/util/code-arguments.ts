/**
 * Arguments that an interpreter runs as code: `python3 -c CODE`, `node -e CODE`, `perl -ne CODE`,
 * `php -r CODE`, `deno eval CODE`, `su -c COMMAND` — and the program operand of the text tools
 * whose programs can run commands or read the environment: `awk PROGRAM` (`system()`),
 * `sed SCRIPT` (GNU sed's `e` command), `jq FILTER` (`$ENV`). A value substituted into such a word is code
 * injection just like a value in `sh -c`'s script, but unlike a POSIX shell's script none of these
 * reads positional parameters from the words after it in one way we could rewrite to, so a value
 * there is refused, never rewritten: it belongs in a separate argument, on stdin or in the
 * environment, where the code reads it as data. Shells (`sh -c`, `pwsh -Command`) are
 * shell-scripts.ts's.
 *
 * Each interpreter's options are read as it reads them, so far as a value could hide code: a
 * short option's cluster (`perl -lne CODE`, `python -Ic CODE`, `-e'CODE'`), `--eval=CODE`, and
 * the options that take a value (`node -r mod -e CODE`), up to the script's name or `--`. An
 * interpreter's name is recognised anywhere in the argv (`env X=1 python -c`, `xargs node -e`).
 */

export interface CodeArgument {
  /** The word holding the code (for `-e'CODE'` or `--eval=CODE`, the option's own word). */
  index: number;
  /** The program as written in the argv, without its folder (`python3`). */
  program: string;
  /** The option or subcommand that makes the word code (`-c`, `--eval`, `eval`). */
  option: string;
  /** What runs it, for messages: `Python`, `JavaScript`, `shell`. */
  language: string;
}

interface Rules {
  language: string;
  /** Short option letters whose value is code. */
  code: string;
  /** Long options whose value is code (`--eval CODE`, `--eval=CODE`). */
  codeLong?: readonly string[];
  /** Short option letters that take a value: the rest of the cluster, or the next word when the cluster ends there. */
  value?: string;
  /** Short option letters that take only the rest of their cluster (`perl -i.bak`, `-MData::Dumper`). */
  attached?: string;
  /** Short option letters that take only the digits after them (`perl -l0 -0777`): the letters after those are options again (`-lne`). */
  digits?: string;
  /** Long options that take the next word as their value when written without `=`. */
  valueLong?: readonly string[];
  /** Options after which the interpreter reads no more options (`python -m mod`). */
  last?: string;
  /** A subcommand whose first operand is code (`deno eval CODE`). */
  subcommand?: string;
  /** Options may follow operands, as GNU getopt allows (`su root -c CMD`, `su - root -c CMD`). */
  permute?: boolean;
  /**
   * The first operand is the program (`awk PROGRAM`, `sed SCRIPT`, `jq FILTER`) unless a code
   * option or a `programFile` option gave it: named by this word in messages.
   */
  operand?: string;
  /** Short options naming a file that holds the program (`awk -f FILE`): the operands are then data. */
  programFile?: string;
  /** Long options naming a file that holds the program (`--file FILE`, `--from-file FILE`). */
  programFileLong?: readonly string[];
  /** Long options that take the next two words (`jq --arg NAME VALUE`). */
  pairLong?: readonly string[];
  /** How a value reaches the code as data instead, when not as the argument after it. */
  passing?: string;
  /**
   * Short options whose optional value may stand as the next word when it looks like a file
   * suffix (BSD `sed -i '' SCRIPT`, `sed -i .bak SCRIPT`).
   */
  suffix?: string;
  /** Single-dash words that are flags as a whole (BWK awk's `-safe`, `-version`). */
  flags?: readonly string[];
  /**
   * Recognised only where a command starts (first, or after `env`, `xargs`, `nice`…): a text
   * tool's name is also a word people pass around (`apt-get install jq`).
   */
  commandOnly?: boolean;
}

const PYTHON: Rules = { language: 'Python', code: 'c', value: 'WXQ', valueLong: ['--check-hash-based-pycs'], last: 'm' };
const NODE: Rules = { language: 'JavaScript', code: 'ep', codeLong: ['--eval', '--print'], value: 'rC', valueLong: ['--require', '--import', '--loader', '--experimental-loader', '--conditions', '--input-type', '--title', '--env-file', '--stack-size'] };

const AWK: Rules = {
  language: 'awk',
  code: 'e',
  codeLong: ['--source'],
  operand: 'PROGRAM',
  programFile: 'fE',
  programFileLong: ['--file', '--exec'],
  // mawk's `-W interactive`; gawk's `-d[file]`, `-D[file]`, `-L[fatal]`, `-o[file]`, `-p[file]`.
  value: 'FvilW',
  attached: 'dDLop',
  valueLong: ['--field-separator', '--assign', '--include', '--load'],
  flags: ['-safe', '-version'],
  commandOnly: true,
  passing: 'through the environment, where the program reads it as it is with `ENVIRON["NAME"]` (`-v name=VALUE` would expand its backslashes)',
};
const SED: Rules = {
  language: 'sed',
  code: 'e',
  codeLong: ['--expression'],
  operand: 'SCRIPT',
  programFile: 'f',
  programFileLong: ['--file'],
  value: 'l',
  attached: 'i',
  suffix: 'i',
  valueLong: ['--line-length'],
  permute: true,
  commandOnly: true,
  passing: 'in the file sed edits instead (a sed script cannot read a value)',
};

const INTERPRETERS: ReadonlyMap<string, Rules> = new Map([
  ['python', PYTHON],
  ['pypy', PYTHON],
  ['node', NODE],
  ['nodejs', NODE],
  ['bun', { ...NODE, valueLong: [...(NODE.valueLong ?? []), '--preload', '--cwd', '--config'] }],
  ['deno', { language: 'JavaScript', code: '', codeLong: ['--eval'], subcommand: 'eval', valueLong: ['--ext', '--location', '--seed', '--config', '--import-map', '--lock', '--cert'] }],
  ['perl', { language: 'Perl', code: 'eE', value: 'IF', attached: 'CdDimMx', digits: '0l' }],
  ['ruby', { language: 'Ruby', code: 'e', value: 'IrCE', attached: 'iFxK', digits: '0WT' }],
  ['php', { language: 'PHP', code: 'rBRE', value: 'cdz', codeLong: ['--run', '--process-begin', '--process-code', '--process-end'] }],
  ['osascript', { language: 'AppleScript', code: 'e', value: 'ls' }],
  ['lua', { language: 'Lua', code: 'e', value: 'l' }],
  ['luajit', { language: 'Lua', code: 'e', value: 'lbjO' }],
  ['Rscript', { language: 'R', code: 'e', valueLong: ['--default-packages'] }],
  ['R', { language: 'R', code: 'e', valueLong: ['--file', '--encoding'] }],
  ['awk', AWK],
  ['gawk', AWK],
  ['mawk', AWK],
  ['nawk', AWK],
  ['sed', SED],
  ['gsed', SED],
  ['jq', { language: 'jq', commandOnly: true, code: '', operand: 'FILTER', programFile: 'f', programFileLong: ['--from-file'], value: 'L', valueLong: ['--indent'], pairLong: ['--arg', '--argjson', '--slurpfile', '--rawfile'], permute: true, passing: 'with `--arg name VALUE` (the filter reads it as `$name`)' }],
  ['su', { language: 'shell', code: 'c', codeLong: ['--command', '--session-command'], value: 'gGsw', valueLong: ['--group', '--supp-group', '--shell', '--whitelist-environment'], permute: true }],
  ['runuser', { language: 'shell', code: 'c', codeLong: ['--command', '--session-command'], value: 'gGsuw', valueLong: ['--group', '--supp-group', '--shell', '--user', '--whitelist-environment'], permute: true }],
]);

/** `/usr/bin/python3.12`, `lua5.4`, `node20` → the interpreter's rules, or undefined for another program. */
function rulesOf(word: string): Rules | undefined {
  const name = word.slice(word.lastIndexOf('/') + 1);
  return INTERPRETERS.get(name) ?? INTERPRETERS.get(name.replace(/[\d.]+$/, ''));
}

/**
 * Reads one short-option cluster (`-lne`, `-e'CODE'`): its code argument, how many more words it
 * takes, whether options end, and whether it named a file holding the program (`awk -f FILE`).
 */
function cluster(word: string, next: number, rules: Rules, nextWord: string | undefined): { code?: { index: number; option: string }; skip: number; last: boolean; programFile?: boolean } {
  if (rules.flags?.includes(word) === true) return { skip: 0, last: false };
  for (let c = 1; c < word.length; c++) {
    const letter = word[c] as string;
    const rest = word.length > c + 1;
    if (!rest && rules.suffix?.includes(letter) === true && nextWord !== undefined && /^(?:|\.[^\s/]*)$/.test(nextWord)) return { skip: 1, last: false };
    if (rules.code.includes(letter)) return { code: { index: rest ? next - 1 : next, option: `-${letter}` }, skip: rest ? 0 : 1, last: false };
    if (rules.last?.includes(letter) === true) return { skip: rest ? 0 : 1, last: true };
    if (rules.programFile?.includes(letter) === true) return { skip: rest ? 0 : 1, last: false, programFile: true };
    if (rules.value?.includes(letter) === true) return { skip: rest ? 0 : 1, last: false };
    if (rules.attached?.includes(letter) === true) return { skip: 0, last: false };
    if (rules.digits?.includes(letter) === true) c += (/^(?:x[\dA-Fa-f]*|\d*)/.exec(word.slice(c + 1))?.[0] ?? '').length;
  }
  return { skip: 0, last: false };
}

/** The code arguments of one interpreter whose name is at `at`, and the index after its options. */
function argumentsOf(words: readonly string[], at: number, rules: Rules): { found: CodeArgument[]; end: number } {
  const program = (words[at] as string).slice((words[at] as string).lastIndexOf('/') + 1);
  const found: CodeArgument[] = [];
  const add = (index: number, option: string) => {
    if (index < words.length) found.push({ index, program, option, language: rules.language });
  };
  let i = at + 1;
  let sub = false;
  // For a program operand: whether an option gave the program already, and where the first operand is.
  let programGiven = false;
  let firstOperand: number | undefined;
  const operandEnd = () => {
    if (rules.operand !== undefined && !programGiven && firstOperand !== undefined) add(firstOperand, rules.operand);
    return { found, end: i + 1 };
  };
  for (; i < words.length; i++) {
    const word = words[i] as string;
    if (word === '--') {
      if (firstOperand === undefined && i + 1 < words.length) firstOperand = i + 1;
      break;
    }
    if (word === '-' && rules.permute !== true) break;
    const long = word.startsWith('--') ? word.split('=', 1)[0] as string : undefined;
    if (long !== undefined) {
      if (rules.codeLong?.includes(long) === true) {
        add(word.includes('=') ? i : ++i, long);
        programGiven = true;
      } else if (rules.programFileLong?.includes(long) === true) {
        programGiven = true;
        if (!word.includes('=')) i++;
      } else if (rules.pairLong?.includes(long) === true) i += 2;
      else if (rules.valueLong?.includes(long) === true && !word.includes('=')) i++;
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      const read = cluster(word, i + 1, rules, words[i + 1]);
      if (read.code !== undefined) add(read.code.index, read.code.option);
      if (read.code !== undefined || read.programFile === true) programGiven = true;
      i += read.skip;
      if (read.last) return { found, end: i + 1 };
      continue;
    }
    firstOperand ??= i;
    // The first operand: the script's name, or after `deno eval`, the code itself.
    if (rules.subcommand !== undefined && !sub && word === rules.subcommand) {
      sub = true;
      continue;
    }
    if (sub) add(i, rules.subcommand ?? word);
    if (rules.permute !== true || sub) break;
  }
  return operandEnd();
}

/** Programs that run the command after their own options and arguments. */
const WRAPPERS = new Set(['env', 'xargs', 'nice', 'ionice', 'nohup', 'timeout', 'stdbuf', 'time', 'sudo', 'doas', 'command', 'exec', 'setsid', 'chrt', 'taskset', 'unbuffer']);

/**
 * Whether `words[i]` starts a command: it is the first word, or the words before it are a
 * wrapper (`env`, `xargs`, `timeout 5`…) and its options, assignments and numbers.
 */
function startsCommand(words: readonly string[], i: number): boolean {
  if (i === 0) return true;
  for (let j = i - 1; j >= 0; j--) {
    const word = words[j] as string;
    if (WRAPPERS.has(word.slice(word.lastIndexOf('/') + 1))) return true;
    if (!/^-|^[A-Za-z_][A-Za-z0-9_]*=|^\d+(?:\.\d+)?[smhd]?$|^\{\}$/.test(word)) return false;
  }
  return false;
}

/** Every argument an interpreter in the argv runs as code, in order. */
export function codeArgumentsIn(words: readonly string[]): CodeArgument[] {
  const found: CodeArgument[] = [];
  for (let i = 0; i < words.length; i++) {
    const rules = rulesOf(words[i] as string);
    if (rules === undefined || (rules.commandOnly === true && !startsCommand(words, i))) continue;
    const read = argumentsOf(words, i, rules);
    found.push(...read.found);
    // The words after the code and the script name are its arguments, which may run another interpreter: `xargs node -e`.
    i = Math.max(i, (read.found.at(-1)?.index ?? i));
  }
  return found;
}

/** How to pass a value to `argument`'s code as data: `it as a separate argument after the code (…)`. */
export function passing(argument: CodeArgument, plural: boolean): string {
  const way = INTERPRETERS.get(argument.program.replace(/[\d.]+$/, ''))?.passing;
  if (way !== undefined) return `${plural ? 'them' : 'it'} ${way}`;
  return `${plural ? 'them as separate arguments' : 'it as a separate argument'} after the code${readingHint(argument)}`;
}

/** How the code reads the first argument after it, where there is one plain way to say so. */
const FIRST_ARGUMENT: Readonly<Record<string, string>> = {
  Python: '`sys.argv[1]`',
  JavaScript: '`process.argv[1]`',
  Perl: '`$ARGV[0]`',
  Ruby: '`ARGV[0]`',
  PHP: '`$argv[1]`',
  R: '`commandArgs(trailingOnly = TRUE)[1]`',
  AppleScript: '`item 1 of argv` in an `on run argv` handler',
};

/** `(where the code reads it as sys.argv[1])`, or '' when there is no one plain way. */
export function readingHint(argument: CodeArgument): string {
  const how = argument.program === 'deno' ? '`Deno.args[0]`' : FIRST_ARGUMENT[argument.language];
  return how === undefined ? '' : ` (the code reads it as ${how})`;
}
