import yargs, { type Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { GLOBAL_OPTIONS, camelCase, projectArgs, usageOf, type Args, type CommandSpec } from './command.js';
import type { Output } from './output.js';
import { version, type Program } from './runner.js';

type Handler = (spec: CommandSpec, args: Args) => Promise<number>;

/**
 * yargs sets an example's command beside its description, in at most half the width: a longer
 * command wraps mid-argument and can no longer be copied. When one of a command's examples does
 * not fit, each gets a line of its own under its description, written as a shell comment (yargs
 * trims indentation), so both lines can be pasted.
 */
function defineExamples(y: Argv, examples: readonly (readonly [string, string])[], wrap: number): Argv {
  const sideBySide = examples.every(([command]) => command.length <= Math.floor(wrap * 0.5));
  let built = y;
  for (const [command, description] of examples) {
    built = sideBySide ? built.example(command, description) : built.example(`# ${description}`, '').example(command, '');
  }
  return built;
}

function defineOptions(y: Argv, spec: CommandSpec, wrap: number): Argv {
  let built = y;
  for (const p of spec.positionals ?? []) {
    built = built.positional(p.name, { describe: p.describe, type: 'string', array: p.variadic === true });
  }
  for (const [name, o] of Object.entries(spec.options ?? {})) {
    built = built.option(name, {
      type: o.type,
      describe: o.describe,
      ...(o.alias === undefined ? {} : { alias: o.alias }),
      ...(o.default === undefined ? {} : { default: o.default }),
      ...(o.choices === undefined ? {} : { choices: [...o.choices] }),
      ...(o.array === true ? { array: true } : {}),
      ...(o.hidden === true ? { hidden: true } : {}),
    });
  }
  return defineExamples(built, spec.examples ?? [], wrap);
}

/** What was typed after `--name` / `--name=` / `-a`, for a message about a value yargs turned into NaN. */
function typedValue(argv: readonly string[], name: string, alias: string | undefined): string | undefined {
  for (let i = argv.length - 1; i >= 0; i--) {
    const token = argv[i] ?? '';
    if (token.startsWith(`--${name}=`)) return token.slice(name.length + 3);
    if (token === `--${name}` || (alias !== undefined && token === `-${alias}`)) return argv[i + 1];
  }
  return undefined;
}

/** yargs reads `--limit abc` as NaN and goes on; a number option that is not a number is a usage error naming what was typed. */
function checkNumbers(spec: CommandSpec, values: Record<string, unknown>, argv: readonly string[]): void {
  for (const [name, o] of Object.entries(spec.options ?? {})) {
    if (o.type !== 'number') continue;
    const value = values[name];
    if (typeof value === 'number' && Number.isNaN(value)) {
      const typed = typedValue(argv, name, o.alias);
      throw new UsageError(`--${name}: expected a number, got ${typed === undefined ? 'nothing' : `'${typed}'`}`);
    }
  }
}

function defineCommand(y: Argv, spec: CommandSpec, handler: Handler, state: { code: number; argv: readonly string[]; wrap: number }): Argv {
  // yargs hides a command whose description is `false`; its typings only admit strings.
  const describe = (spec.hidden === true ? false : spec.describe) as string;
  return y.command(
    usageOf(spec),
    describe,
    (sub) => {
      let built = defineOptions(sub, spec, state.wrap);
      if (spec.subcommands !== undefined) {
        for (const child of spec.subcommands) built = defineCommand(built, child, handler, state);
        built = built.demandCommand(1, `'${spec.name}' needs a subcommand: ${spec.subcommands.map((c) => c.name).join(', ')}`);
      }
      return built;
    },
    async (argv) => {
      if (spec.run === undefined) return;
      checkNumbers(spec, argv, state.argv);
      const positionals = (spec.positionals ?? []).flatMap((p) => {
        const value = argv[p.name] ?? argv[camelCase(p.name)];
        return value === undefined ? [] : Array.isArray(value) ? value : [value];
      });
      state.code = await handler(spec, projectArgs(spec, argv, positionals));
    },
  );
}

/** The command `argv` names (a subcommand when it has them), for reading its options. */
/** The command named on the line: its first words that are not options (`--config FILE` may come first). */
function commandOf(commands: readonly CommandSpec[], argv: readonly string[]): CommandSpec | undefined {
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const token = argv[i] ?? '';
    if (token === '--') break;
    if (!token.startsWith('-')) words.push(token);
    else if (!token.includes('=') && token.slice(2) in GLOBAL_OPTIONS && GLOBAL_OPTIONS[token.slice(2)]?.type !== 'boolean') i += 1;
  }
  const spec = commands.find((c) => c.name === words[0]);
  return spec?.subcommands?.find((c) => c.name === words[1]) ?? spec;
}

/**
 * yargs reads the value of `--since -5d` as the flags -5 and -d and stops at "Unknown arguments:
 * 5, d". No option of ours is a digit, so after an option that takes a value, a token that starts
 * with a dash and a digit is that value: it is joined (`--since=-5d`) and the command judges it,
 * with a message that says what it accepts. Other tokens are left as they are.
 */
export function joinDashValues(commands: readonly CommandSpec[], argv: readonly string[]): string[] {
  const options = { ...GLOBAL_OPTIONS, ...(commandOf(commands, argv)?.options ?? {}) };
  const named = (token: string): string | undefined => {
    if (token.startsWith('--')) return token.slice(2) in options ? token.slice(2) : undefined;
    return Object.entries(options).find(([, o]) => o.alias !== undefined && token === `-${o.alias}`)?.[0];
  };
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    // After `--` every word is an argument as typed.
    if (token === '--') {
      joined.push(...argv.slice(i));
      break;
    }
    const name = named(token);
    const next = argv[i + 1];
    const takesValue = name !== undefined && options[name]?.type !== 'boolean';
    if (takesValue && next !== undefined && /^-\d/.test(next) && !/^-\d+(\.\d+)?$/.test(next)) {
      joined.push(`--${name}=${next}`);
      i += 1;
    } else joined.push(token);
  }
  return joined;
}

/**
 * yargs' message, said as a newcomer needs it: a first word that is no command is an unknown
 * command (yargs calls `choiros chec` an unknown argument), with the commands it begins.
 */
function failureMessage(program: string, commands: readonly CommandSpec[], argv: readonly string[], text: string, known: boolean): string {
  const first = argv[0] ?? '';
  if (/^Did you mean/.test(text)) return `Unknown command '${first}'. ${text}`;
  // yargs says "Not enough non-option arguments: got 0, need at least 1"; the usage says which.
  const missing = /^Not enough non-option arguments/.test(text) ? commands.find((c) => c.name === first) : undefined;
  if (missing !== undefined) {
    const needed = (missing.positionals ?? []).filter((p) => p.required === true).map((p) => `<${p.name}${p.variadic === true ? '..' : ''}>`);
    if (needed.length > 0) return `Missing ${needed.join(' ')}: \`${program} ${usageOf(missing)}\`.`;
  }
  if (known || first === '' || first.startsWith('-') || !/^Unknown argument/.test(text)) return text;
  const begun = commands.filter((c) => c.hidden !== true && c.name.startsWith(first)).map((c) => c.name);
  return `Unknown command '${first}'.${begun.length === 0 ? '' : ` Did you mean ${begun.join(' or ')}?`}`;
}

/**
 * The full command line interface: help, version, completion, suggestions and validation
 * messages. Reached for anything the fast path in runner.ts is not sure about.
 */
export async function runWithYargs(program: Program & { commands: readonly CommandSpec[] }, given: readonly string[], out: Output, handler: Handler): Promise<number> {
  const argv = joinDashValues(program.commands, given);
  const wrap = Math.min(100, out.columns);
  const state = { code: 0, argv, wrap };
  let parser = yargs([...argv])
    .scriptName(program.name)
    .usage(`${program.name} — ${program.describe}\n\nUsage: ${program.name} <command> [options]`)
    .parserConfiguration({ 'parse-positional-numbers': false })
    .strict()
    .recommendCommands()
    .demandCommand(1, 'Pick a command.')
    .version(version())
    .help()
    .alias('help', 'h')
    .completion('completion', `print a shell completion script (bash/zsh): ${program.name} completion >> ~/.bashrc`, ((_current: string, _argv: unknown, defaults: (done: (error: Error | null, completions: string[] | undefined) => void) => void, done: (completions: string[]) => void) => {
      // yargs offers a one-letter alias as `--y`, which no parser accepts; it is `-y`.
      defaults((_error, completions) => done((completions ?? []).filter((c) => !/^--[^-\s:](?::|$)/.test(c))));
    }) as never)
    .wrap(wrap)
    .exitProcess(false)
    .fail((message, error) => {
      if (error !== undefined && error !== null) throw error;
      const known = program.commands.some((c) => c.name === argv[0]);
      throw new UsageError(failureMessage(program.name, program.commands, argv, message ?? 'invalid arguments', known), {
        hint: `Run \`${program.name}${known ? ` ${argv[0] ?? ''}` : ''} --help\` for usage.`,
      });
    });
  for (const [name, o] of Object.entries(GLOBAL_OPTIONS)) parser = parser.option(name, { type: o.type, describe: o.describe, global: true });
  for (const spec of program.commands) parser = defineCommand(parser, spec, handler, state);

  let printed = '';
  await parser.parseAsync([...argv], {}, (error: Error | undefined, _argv: unknown, output: string) => {
    if (error === undefined || error === null) printed = output;
  });
  if (printed !== '') out.stdout.write(printed.endsWith('\n') ? printed : `${printed}\n`);
  return state.code;
}
