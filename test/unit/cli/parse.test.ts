import { describe, expect, it } from 'vitest';
import { choiros } from '../../../src/cli/choiros.js';
import type { Args, CommandSpec } from '../../../src/cli/command.js';
import { fastParse, loadCommands, runProgram, type Program } from '../../../src/cli/runner.js';
import { joinDashValues, runWithYargs } from '../../../src/cli/yargs.js';
import { makeOutput } from '../../../src/cli/output.js';
import { captureIo } from '../../helpers/io.js';

/** What full yargs hands a command for this argv. */
async function yargsArgs(program: Program, argv: string[]): Promise<Args | undefined> {
  const commands = await loadCommands(program);
  const { io } = captureIo();
  let seen: Args | undefined;
  await runWithYargs({ ...program, commands }, argv, makeOutput(io.stdout, io.stderr, io.env), async (_spec, args) => {
    seen = args;
    return 0;
  });
  return seen;
}

describe('the command list', () => {
  it('names each lazily loaded command as its module does', async () => {
    const specs = await loadCommands(choiros);
    expect(specs.map((s) => s.name)).toEqual(choiros.commands.map((c) => c.name));
  });
});

describe('fast path parsing', () => {
  it.each([
    [['start']],
    [['start', '--attach', '--wait']],
    [['start', '--json', '--config', 'x.yaml']],
    [['start', '--config=x.yaml']],
    [['status', '--json']],
    [['status', '-w', '--interval', '2s']],
    [['stop', '--grace', '1s']],
    [['restart', 'api']],
    [['restart', '123']],
    [['logs']],
    [['logs', 'api', '-f', '-n', '20']],
    [['logs', '--lines=5', 'ui']],
    [['config', 'schema']],
    [['watch', '--run', 'npm test']],
    [['init', '--force']],
  ])('gives %j the same arguments as yargs', async (argv) => {
    const fast = fastParse(await loadCommands(choiros), argv);
    expect(fast).toBeDefined();
    expect(fast?.args).toEqual(await yargsArgs(choiros, argv));
  });

  it.each([
    [[]],
    [['--help']],
    [['start', '-h']],
    [['--version']],
    [['start', '--bogus']],
    [['restart']],
    [['restart', 'a', 'b']],
    [['logs', '-n', 'many']],
    [['nope']],
    [['config']],
    [['config', 'nope']],
  ])('leaves %j to yargs', async (argv) => {
    expect(fastParse(await loadCommands(choiros), argv)).toBeUndefined();
  });
});

describe('runProgram', () => {
  const echo: CommandSpec = {
    name: 'echo',
    describe: 'print the argument',
    positionals: [{ name: 'word', describe: 'a word', required: true }],
    run: async (args, ctx) => {
      ctx.out.line(String(args.word));
      return 0;
    },
  };
  const program: Program = { name: 'demo', describe: 'a demo', commands: [echo] };

  it('runs a command and returns its exit code', async () => {
    const c = captureIo();
    expect(await runProgram(program, ['echo', 'hi'], c.io)).toBe(0);
    expect(c.stdout()).toBe('hi\n');
  });

  it('prints help on stdout with exit 0', async () => {
    const c = captureIo();
    expect(await runProgram(program, ['--help'], c.io)).toBe(0);
    expect(c.stdout()).toContain('demo echo <word>');
  });

  it('prints the version', async () => {
    const c = captureIo();
    expect(await runProgram(choiros, ['--version'], c.io)).toBe(0);
    expect(c.stdout()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('turns a missing argument into a usage error with exit 2 that names it', async () => {
    const c = captureIo();
    expect(await runProgram(program, ['echo'], c.io)).toBe(2);
    expect(c.stderr()).toContain('error: Missing <word>: `demo echo <word>`.\n');
    expect(c.stderr()).toContain('Run `demo echo --help` for usage.');
  });

  it('asks for a command, once, when given none', async () => {
    const c = captureIo();
    expect(await runProgram(choiros, [], c.io)).toBe(2);
    expect(c.stderr()).toBe('error: Pick a command.\n  Run `choiros --help` for usage.\n');
  });

  it('keeps a long example copyable: its description goes above it as a comment instead of beside it', async () => {
    const long: CommandSpec = { ...echo, examples: [['demo echo more-than-half-of-the-sixty-columns', 'what it prints'], ['demo echo hi', 'says hi']] };
    const c = captureIo({ env: { NO_COLOR: '1', COLUMNS: '60' } });
    expect(await runProgram({ ...program, commands: [long] }, ['echo', '--help'], c.io)).toBe(0);
    expect(c.stdout()).toContain('Examples:\n  # what it prints\n  demo echo more-than-half-of-the-sixty-columns\n  # says hi\n  demo echo hi\n');
  });

  it('keeps short examples beside their descriptions', async () => {
    const short: CommandSpec = { ...echo, examples: [['demo echo hi', 'says hi']] };
    const c = captureIo();
    expect(await runProgram({ ...program, commands: [short] }, ['echo', '--help'], c.io)).toBe(0);
    expect(c.stdout()).toMatch(/\n {2}demo echo hi {2,}says hi\n/);
  });

  it('suggests the closest command for a typo', async () => {
    const c = captureIo();
    expect(await runProgram(choiros, ['stauts'], c.io)).toBe(2);
    expect(c.stderr()).toContain("Unknown command 'stauts'. Did you mean status?");
  });

  it('names an unknown first word as a command, with the commands it begins', async () => {
    const c = captureIo();
    expect(await runProgram(choiros, ['chec'], c.io)).toBe(2);
    expect(c.stderr()).toContain("Unknown command 'chec'. Did you mean checkpoint or checkpoints?");
    const none = captureIo();
    expect(await runProgram(choiros, ['zzz'], none.io)).toBe(2);
    expect(none.stderr()).toContain("error: Unknown command 'zzz'.\n");
  });

  it('rejects unknown options with exit 2', async () => {
    const c = captureIo();
    expect(await runProgram(choiros, ['status', '--jsn'], c.io)).toBe(2);
    expect(c.stderr()).toContain('Unknown argument: jsn');
  });

  it('names what was typed for a number option that is not a number (yargs made it NaN), with exit 2 and the command not run', async () => {
    let ran = false;
    const count: CommandSpec = { name: 'count', describe: 'count', options: { limit: { type: 'number', alias: 'l', describe: 'rows' } }, run: async () => ((ran = true), 0) };
    const demo: Program = { name: 'demo', describe: 'a demo', commands: [count] };
    for (const argv of [['count', '--limit', 'abc'], ['count', '--limit=1e'], ['count', '-l', 'x']]) {
      const c = captureIo();
      expect(await runProgram(demo, argv, c.io)).toBe(2);
      expect(c.stderr()).toContain(`error: --limit: expected a number, got '${argv.at(-1)?.replace('--limit=', '') ?? ''}'`);
    }
    expect(ran).toBe(false);
  });

  it('reports a bug with its stack and exit 1', async () => {
    const broken: Program = { name: 'demo', describe: 'd', commands: [{ name: 'boom', describe: 'b', run: async () => { throw new TypeError('kaput'); } }] };
    const c = captureIo();
    expect(await runProgram(broken, ['boom'], c.io)).toBe(1);
    expect(c.stderr()).toContain('this is a bug in choiros');
    expect(c.stderr()).toContain('TypeError: kaput');
  });

  it('exits 130 when the command was cancelled', async () => {
    const controller = new AbortController();
    const waits: Program = {
      name: 'demo',
      describe: 'd',
      commands: [{ name: 'wait', describe: 'w', run: async () => void controller.abort() }],
    };
    const c = captureIo({ signal: controller.signal });
    expect(await runProgram(waits, ['wait'], c.io)).toBe(130);
  });
});

describe('the fast path agrees with yargs on tricky shapes', () => {
  it.each([
    [['status', '--no-watch']],
    [['status', '--watch=false']],
    [['logs', '-n', '0']],
    [['logs', '--lines', '007']],
    [['start', '--config', 'a b.yaml']],
    [['status', '--interval=']],
  ])('%j', async (argv) => {
    const fast = fastParse(await loadCommands(choiros), argv);
    expect(fast).toBeDefined();
    expect(fast?.args).toEqual(await yargsArgs(choiros, argv));
  });

  it.each([
    [['logs', '-f', 'true']],
    [['logs', '-fn', '3']],
    [['logs', '--lines', '-5']],
    [['logs', '--', 'api']],
    [['status', '--json', '--json']],
    [['start', '--config']],
    [['logs', '--lines=abc']],
  ])('leaves %j to yargs', async (argv) => {
    expect(fastParse(await loadCommands(choiros), argv)).toBeUndefined();
  });
});

describe('values that begin with a dash and a digit', () => {
  it('belong to the option before them that takes a value; flags, negative numbers and other tokens are left to yargs', async () => {
    const commands = await loadCommands(choiros);
    expect(joinDashValues(commands, ['runs', '--since', '-5d', '--json'])).toEqual(['runs', '--since=-5d', '--json']);
    expect(joinDashValues(commands, ['checkpoint', '-m', '-1st'])).toEqual(['checkpoint', '--message=-1st']);
    expect(joinDashValues(commands, ['runs', '--json', '-5d'])).toEqual(['runs', '--json', '-5d']);
    expect(joinDashValues(commands, ['runs', '--limit', '-5'])).toEqual(['runs', '--limit', '-5']);
    expect(joinDashValues(commands, ['runs', '--since', '-x'])).toEqual(['runs', '--since', '-x']);
    // The command is found after a global option, and nothing after `--` is touched.
    expect(joinDashValues(commands, ['--config', 'x.yaml', 'runs', '--since', '-5d'])).toEqual(['--config', 'x.yaml', 'runs', '--since=-5d']);
    expect(joinDashValues(commands, ['runs', '--', '--since', '-5d'])).toEqual(['runs', '--', '--since', '-5d']);
  });
});
