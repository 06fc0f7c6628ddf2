import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, type ProcessResult } from '../../src/process/run.js';
import { CHOIROS, PROSE, makeProject, type TestProject } from '../helpers/project.js';
import { waitFor } from '../helpers/wait.js';
import { SeededLedger } from './play-fixture.js';

/**
 * What a newcomer sees, from the built binaries in a real git repository with a running session
 * and a ledger: NO_COLOR and pipes get no escape codes, 60 columns fit, completion completes
 * and --version says the package's version (issue 9).
 */

const ESC = '\u001b[';
const WIDTH = 60;
const IDENTITY = ['-c', 'user.name=Fixture', '-c', 'user.email=fixture@example.com', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main'];
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

let project: TestProject;
let runId: string;

/** A human-readable command, the exit code it should have and a text that shows it did its job. */
type Case = readonly [bin: 'choiros' | 'prose', args: readonly string[], code: number, shows: string];

const CASES: readonly Case[] = [
  ['choiros', ['--help'], 0, 'choiros checkpoint'],
  ['choiros', [], 2, 'Pick a command'],
  ['choiros', ['chec'], 2, "Unknown command 'chec'"],
  ['choiros', ['start'], 0, "Session 'proj'"],
  ['choiros', ['status'], 0, 'WINDOW'],
  ['choiros', ['checkpoints'], 0, 'checkpoint-'],
  ['choiros', ['rollback'], 2, 'Refusing to roll back without --yes'],
  ['choiros', ['runs'], 0, 'session:cleo'],
  ['choiros', ['runs', '--by-run'], 0, 'STARTED'],
  ['choiros', ['play', 'status'], 0, 'Deviations:'],
  ['choiros', ['play', 'history'], 0, 'EVENT'],
  ['choiros', ['play', 'metrics'], 0, 'SUCCESS'],
  ['choiros', ['play'], 2, 'needs a subcommand'],
  ['choiros', ['dashboard', '--plain'], 0, 'PLAY WORKFLOW'],
  ['choiros', ['doctor'], 1, 'not ready for an unattended run'],
  ['choiros', ['health'], 0, 'Health:'],
  ['choiros', ['monitor'], 2, 'full-screen'],
  ['choiros', ['approve', '999'], 2, '999'],
  ['prose', ['--help'], 0, 'prose run'],
  ['prose', ['check', 'prose/agentic-build.prose'], 0, 'no problems'],
  ['prose', ['check', 'broken.prose'], 1, 'broken.prose:1'],
  ['prose', ['run', 'greet.prose'], 2, 'Missing input: name'],
  ['prose', ['resume', 'run-19990101-000000-000000'], 2, 'run-19990101-000000-000000'],
];

function invoke(bin: 'choiros' | 'prose', args: readonly string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return run(process.execPath, [bin === 'choiros' ? CHOIROS : PROSE, ...args], { cwd: project.root, env: { ...project.env, ...env }, timeoutMs: 30_000 });
}

/** Lines wider than `width` that could have been shortened: a lone path or URL may overflow. */
function tooWide(text: string, width = WIDTH): string[] {
  return text.split('\n').filter((line) => [...line].length > width && /\S\s+\S/.test(line.trim()));
}

const label = ([bin, args]: Case) => [bin, ...args].join(' ');

beforeAll(async () => {
  project = makeProject({ 'greet.prose': 'input name: "Who?"\nsession "Greet {name}"\n', 'broken.prose': 'session\n' });
  const git = (...args: string[]) => execFileSync('git', [...IDENTITY, ...args], { cwd: project.root, stdio: 'ignore' });
  git('init', '-q');
  expect((await project.choiros(['init'])).exitCode).toBe(0);
  // An agent no machine has: doctor then fails the same way everywhere.
  project.write('choiros.yaml', `${readFileSync(join(project.root, 'choiros.yaml'), 'utf8')}agents:\n  default: { command: ["choiros-test-no-such-agent", "{prompt}"] }\n`);
  git('add', '-A');
  git('commit', '-q', '-m', 'the project');
  expect((await project.choiros(['checkpoint', '-m', 'before the agent rewrites the login flow, which is a long story to tell'])).exitCode).toBe(0);
  project.write('greet.prose', 'input name: "Who is it?"\nsession "Greet {name}"\n');
  const seed = new SeededLedger(project.root);
  runId = seed.liveRun();
  seed.close();
  expect((await project.choiros(['start'])).exitCode).toBe(0);
}, 60_000);

afterAll(async () => {
  await project.cleanup();
});

describe('without a terminal', () => {
  it.each(CASES)('%s %j: no escape codes under NO_COLOR, and nothing wider than COLUMNS=60', async (...c) => {
    const [bin, args, code, shows] = c;
    const result = await invoke(bin, args, { NO_COLOR: '1', COLUMNS: String(WIDTH) });
    const all = `${result.stdout}${result.stderr}`;
    expect([result.exitCode, all]).toEqual([code, expect.stringContaining(shows)]);
    expect(all, label(c)).not.toContain(ESC);
    expect(tooWide(all), label(c)).toEqual([]);
  });

  it('prints no escape codes into a pipe even without NO_COLOR, and colors when FORCE_COLOR asks', async () => {
    const plain = { NO_COLOR: undefined, COLUMNS: undefined };
    for (const c of CASES) {
      const result = await invoke(c[0], c[1], plain);
      expect(`${result.stdout}${result.stderr}`, label(c)).not.toContain(ESC);
    }
    const forced = await invoke('choiros', ['doctor'], { ...plain, FORCE_COLOR: '1' });
    expect(forced.stdout).toContain(`${ESC}32m✓`);
  });

  it('keeps each message on one line in a pipe with no COLUMNS, so that logs stay greppable', async () => {
    const result = await invoke('prose', ['resume', 'run-19990101-000000-000000'], { COLUMNS: undefined });
    expect(result.stderr.split('\n').some((line) => line.length > 80 && line.includes(runId))).toBe(true);
  });
});

describe('on a terminal 60 columns wide (tmux on a private socket)', () => {
  /** Runs a command in a fresh 60×40 pane and returns the screen with its colors (capture-pane -e). */
  async function onTerminal(name: string, command: string): Promise<string> {
    const line = `${command}; echo "[exit $?]"; sleep 600`;
    await project.tmux(['new-session', '-d', '-s', name, '-x', String(WIDTH), '-y', '40', '-c', project.root, '--', '/bin/sh', '-c', line]);
    const screen = () => project.tmux(['capture-pane', '-p', '-e', '-J', '-t', `=${name}:`]).then((r) => r.stdout);
    const shown = await waitFor(async () => {
      const s = await screen();
      return /\[exit \d+\]/.test(s) && s;
    }, 15_000, `${command} to finish`);
    await project.tmux(['kill-session', '-t', `=${name}:`]);
    return shown;
  }

  const node = `'${process.execPath}'`;

  it('draws status and play status without colors under NO_COLOR, and with them otherwise', async () => {
    for (const [i, args] of [['status'], ['play', 'status']].entries()) {
      const plain = await onTerminal(`plain${i}`, `env NO_COLOR=1 ${node} '${CHOIROS}' ${args.join(' ')}`);
      expect(plain).toContain('[exit 0]');
      expect(plain, args.join(' ')).not.toContain(ESC);
      expect(tooWide(plain), args.join(' ')).toEqual([]);
      const colored = await onTerminal(`colored${i}`, `env -u NO_COLOR TERM=xterm-256color ${node} '${CHOIROS}' ${args.join(' ')}`);
      expect(colored, args.join(' ')).toContain(ESC);
    }
  });

  it('prints the plain dashboard frame within 60 columns', async () => {
    const frame = await onTerminal('frame', `env NO_COLOR=1 ${node} '${CHOIROS}' dashboard --plain --run ${runId}`);
    expect(frame).toContain('PLAY WORKFLOW');
    expect(frame).not.toContain(ESC);
    expect(tooWide(frame)).toEqual([]);
  });
});

describe('shell completion and --version', () => {
  /** Completes `words` (the last one being typed) with the script `bin completion` prints, in a real bash. */
  async function complete(bin: 'choiros' | 'prose', words: string[]): Promise<string[]> {
    const dir = join(project.root, '..', 'bin');
    mkdirSync(dir, { recursive: true });
    for (const [name, target] of [['choiros', CHOIROS], ['prose', PROSE]] as const) {
      try {
        symlinkSync(target, join(dir, name));
      } catch {
        // Already linked by an earlier call.
      }
    }
    const script = [
      `source <(${bin} completion)`,
      `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
      `COMP_CWORD=${words.length - 1}`,
      `_${bin}_yargs_completions`,
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join('\n');
    const result = await run('bash', ['--norc', '--noprofile', '-c', script], { cwd: project.root, env: { ...project.env, PATH: `${dir}:${project.env.PATH ?? ''}`, SHELL: '/bin/bash' } });
    expect(result.stderr).toBe('');
    return result.stdout.split('\n').filter(Boolean).sort();
  }

  it('completes command names and options of both executables in bash', async () => {
    expect(await complete('choiros', ['choiros', 'chec'])).toEqual(['checkpoint', 'checkpoints']);
    expect(await complete('choiros', ['choiros', 'rollback', '--d'])).toEqual(['--dry-run']);
    // One-letter aliases are not offered with two dashes (`--y` is no option).
    expect(await complete('choiros', ['choiros', 'rollback', '--'])).toEqual(['--config', '--dry-run', '--help', '--json', '--restart', '--undo', '--version', '--yes']);
    expect(await complete('choiros', ['choiros', 'play', 'h'])).toEqual(['history']);
    expect(await complete('prose', ['prose', 'r'])).toEqual(['resume', 'run']);
    expect(await complete('prose', ['prose', 'check', '--'])).toEqual(expect.arrayContaining(['--config', '--help']));
  });

  it('prints the package version from both executables', async () => {
    for (const bin of ['choiros', 'prose'] as const) {
      const result = await invoke(bin, ['--version'], {});
      expect([result.exitCode, result.stdout.trim()]).toEqual([0, VERSION]);
    }
  });
});
