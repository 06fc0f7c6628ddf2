import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { run, type ProcessResult } from '../../src/process/run.js';
import { PROSE } from '../helpers/project.js';

// Payloads that run `touch` if any shell reads them as code; each names its own file.
const ARG = '$(touch pwned-arg)hello';
const REPLY = "`touch pwned-reply`'; touch pwned-quote; echo '";
const PWNED = ['pwned-arg', 'pwned-reply', 'pwned-quote'];

let dir: string;

beforeAll(() => {
  if (!existsSync(PROSE.replace(/bin\/prose\.js$/, 'dist/cli/prose/run-session.js'))) throw new Error('dist/ is missing or stale: run `npm run build` first');
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'prose-shells-'));
  // A .git folder stops the search for choiros.yaml here.
  mkdirSync(join(dir, '.git'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

function prose(args: string[]): Promise<ProcessResult> {
  return run(process.execPath, [PROSE, ...args], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1', CHOIROS_HOME: join(dir, '.home') }, timeoutMs: 30_000 });
}

function pwned(): string[] {
  return PWNED.filter((f) => existsSync(join(dir, f)));
}

const scripted = `agents:\n  default: { preset: scripted, answers: answers.yaml }\n`;
const answers = `default: ${JSON.stringify(REPLY)}\n`;

describe('exec and shell scripts', () => {
  it('runs `sh -c` and `bash -c` scripts with argument and agent values as inert parameters', async () => {
    write({
      'choiros.yaml': scripted,
      'answers.yaml': answers,
      'inj.prose': ['input arg: "a"', 'let out = session "say"', 'let a = exec "sh -c \'echo {arg}\'"', 'let b = exec "/usr/bin/env bash -c \\"printf \'%s|%s\' {out} \'{arg}\'\\""', 'output a = a.stdout', 'output b = b.stdout', ''].join('\n'),
    });
    const result = await prose(['run', 'inj.prose', `arg=${ARG}`]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`a = ${ARG}\n`);
    expect(result.stdout).toContain(`b = ${REPLY}|${ARG}`);
    expect(pwned()).toEqual([]);
  });

  it('refuses, before anything runs (exit 2), a value that a nested shell would read as code', async () => {
    write({ 'choiros.yaml': scripted, 'answers.yaml': answers, 'inj.prose': 'input arg: "a"\nexec "touch started"\nexec "bash -c \'echo {arg}\'"\n  shell: true\n' });
    const result = await prose(['run', 'inj.prose', `arg=${ARG}`]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout + result.stderr).toContain('inj.prose:3:6: error P120 a value would run as code in a nested `bash -c`');
    expect(existsSync(join(dir, 'started'))).toBe(false);
    expect(pwned()).toEqual([]);
  });

  it('refuses, before anything runs (exit 2), a value that an interpreter would run as code', async () => {
    write({ 'choiros.yaml': scripted, 'answers.yaml': answers, 'py.prose': 'input arg: "a"\nexec "touch started"\nexec "node -e \'console.log(`{arg}`)\'"\n' });
    const result = await prose(['run', 'py.prose', `arg=${ARG}`]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout + result.stderr).toContain('py.prose:3:6: error P120 a value inside the code that `node -e` runs: JavaScript would run it as code');
    expect(existsSync(join(dir, 'started'))).toBe(false);
    expect(pwned()).toEqual([]);
  });

  it('runs a computed command as argv words, and refuses one that would be a shell script', async () => {
    write({ 'choiros.yaml': scripted, 'answers.yaml': answers, 'words.prose': 'let out = session "say"\nlet cmd = "echo {out}"\nlet r = exec cmd\noutput r = r.stdout\n', 'script.prose': 'let out = session "say"\nlet cmd = "sh -c \'echo {out}\'"\nexec cmd\n' });
    const words = await prose(['run', 'words.prose']);
    expect(words.exitCode).toBe(0);
    // Split into words, quotes and all, but never given to a shell.
    expect(words.stdout).toContain('r = `touch pwned-reply`; touch pwned-quote; echo \n');
    const script = await prose(['run', 'script.prose']);
    expect(script.exitCode).toBe(1);
    expect(script.stdout).toContain('refusing to run `sh` with a script from a computed value');
    expect(script.stdout).toContain('(script.prose:3:6)');
    expect(pwned()).toEqual([]);
  });

  it('refuses `shell: true` on a computed command before anything runs (P119)', async () => {
    write({ 'choiros.yaml': scripted, 'answers.yaml': answers, 'p.prose': 'let out = session "say"\nlet cmd = "echo {out}"\nexec cmd\n  shell: true\n' });
    const result = await prose(['run', 'p.prose']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout + result.stderr).toContain('p.prose:3:6: error P119 `shell: true` needs the command written as a string in the `exec`');
    expect(pwned()).toEqual([]);
  });
});

describe('agent templates and shell scripts', () => {
  it('refuses a placeholder inside a shell script in choiros.yaml, naming the key and the safe form', async () => {
    write({ 'choiros.yaml': 'agents:\n  default: { command: ["sh", "-c", "echo got: {prompt}"] }\n', 'p.prose': 'session "hi"\n' });
    const result = await prose(['run', 'p.prose']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('agents.default.command[2]');
    expect(result.stderr).toContain('{prompt} inside the `sh -c` script would run as shell code; pass it after the script, as its arguments: ["sh","-c","echo got: \\"${1}\\"","sh","{prompt}"]');
  });

  it('gives a hostile prompt to the safe form as an inert argument of the script', async () => {
    write({ 'choiros.yaml': 'agents:\n  default: { command: ["sh", "-c", "echo \\"got: $1\\"", "sh", "{prompt}"] }\n', 'p.prose': `input arg: "a"\nlet r = session "{arg}"\noutput r = r\n` });
    const result = await prose(['run', 'p.prose', `arg=${ARG}`, '--oracle', 'default']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`r = got: ${ARG}`);
    expect(pwned()).toEqual([]);
  });
});
