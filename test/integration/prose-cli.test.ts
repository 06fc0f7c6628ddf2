import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../..');
const bin = join(repo, 'bin/prose.js');
const fixtures = join(repo, 'test/fixtures/prose');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `prose` binary in `cwd`; never rejects, the exit code is part of the result. */
function prose(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', CHOIROS_HOME: join(cwd, '.home') } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

let dir: string;

beforeAll(() => {
  if (!existsSync(join(repo, 'dist/cli/prose/check-command.js'))) throw new Error('dist/ is missing or stale: run `npm run build` first');
  dir = mkdtempSync(join(tmpdir(), 'prose-cli-'));
  // A .git folder stops the search for choiros.yaml at this directory.
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'review.prose'), readFileSync(join(fixtures, 'valid/review-loop.prose')));
  writeFileSync(join(dir, 'broken.prose'), 'agent writer:\n  model: gpt-4\nsession: ghost\n');
  writeFileSync(join(dir, 'warn.prose'), 'loop:\n  session "again"\n');
  writeFileSync(join(dir, 'gates.prose'), 'let r = verify unit, e2e\n');
  writeFileSync(join(dir, 'messy.prose'), 'agent  a :\n    model:opus\nsession:a\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('prose check', () => {
  it('exits 0 and prints nothing on stdout for clean programs', async () => {
    const files = ['hello', 'phased-build', 'review-loop', 'agentic-build', 'prompts-with-code'].map((f) => join(fixtures, 'valid', `${f}.prose`));
    const run = await prose(['check', ...files], dir);
    expect(run).toEqual({ code: 0, stdout: '', stderr: '5 files checked: no problems\n' });
  });

  it('exits 1 and prints each error with its source line and a caret', async () => {
    const run = await prose(['check', 'broken.prose'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        'broken.prose:2:10: error E008 invalid model `gpt-4`: use sonnet, opus or haiku',
        ' 2 |   model: gpt-4',
        '   |          ^^^^^',
        'broken.prose:3:10: error E007 undefined agent `ghost`',
        ' 3 | session: ghost',
        '   |          ^^^^^',
        '',
      ].join('\n'),
    );
    expect(run.stderr).toBe('1 file checked: 2 errors, 0 warnings\n');
  });

  it('exits 0 when there are only warnings', async () => {
    const run = await prose(['check', 'warn.prose'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('warn.prose:1:1: warning P103 `loop` without `(max: N)`: choiros stops it after 100 iterations');
  });

  it('exits 1 when any of several files has an error', async () => {
    expect((await prose(['check', 'review.prose', 'broken.prose'], dir)).code).toBe(1);
  });

  it('exits 2 when a file cannot be read, before checking anything', async () => {
    const run = await prose(['check', 'review.prose', 'missing.prose'], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Cannot read missing.prose: no such file.');
  });

  it('exits 2 for a binary file (check, fmt and run alike) instead of printing it as a code frame', async () => {
    writeFileSync(join(dir, 'binary.prose'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0x40, 0x0a]));
    for (const command of ['check', 'fmt', 'run']) {
      const run = await prose([command, 'binary.prose'], dir);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('Cannot read binary.prose: it is a binary file (it contains NUL bytes), not a .prose program.');
    }
    writeFileSync(join(dir, 'uses-binary.prose'), 'use "./binary.prose" as b\n');
    const used = await prose(['check', 'uses-binary.prose'], dir);
    expect(used.stdout).toContain('cannot load the program "./binary.prose": it is a binary file (it contains NUL bytes)');
  });

  it('prints the diagnostics as a JSON array with --json', async () => {
    const run = await prose(['check', '--json', 'broken.prose', 'review.prose'], dir);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual([
      { file: 'broken.prose', line: 2, column: 10, endLine: 2, endColumn: 15, severity: 'error', code: 'E008', message: 'invalid model `gpt-4`: use sonnet, opus or haiku' },
      { file: 'broken.prose', line: 3, column: 10, endLine: 3, endColumn: 15, severity: 'error', code: 'E007', message: 'undefined agent `ghost`' },
    ]);
  });

  it('checks verify gates against choiros.yaml given with --config', async () => {
    writeFileSync(join(dir, 'choiros-test.yaml'), 'verify:\n  unit:\n    run: "npm test"\n');
    const run = await prose(['check', 'gates.prose', '--config', 'choiros-test.yaml'], dir);
    expect(run.stdout).toContain('gates.prose:1:22: error P109 verify gate `e2e` is not in choiros.yaml: it defines unit');
    expect(run.code).toBe(1);
    expect((await prose(['check', 'gates.prose'], dir)).code).toBe(0);
  });
});

describe('prose check with `use`d programs', () => {
  /** Writes files under `uses/` in the test directory (its .git makes it the project root). */
  function write(files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, 'uses', name)), { recursive: true });
      writeFileSync(join(dir, 'uses', name), text);
    }
  }

  /** `path:line:col: severity CODE message` lines of the text output. */
  function headlines(stdout: string): string[] {
    return stdout.split('\n').filter((line) => /^\S+:\d+:\d+: /.test(line));
  }

  it('checks calls of a local program against its inputs and outputs, as prose run does', async () => {
    write({
      'lib/summarize.prose': 'input text: "t"\ninput style: "s"\noutput summary = session "Summarize {text} as {style}"\n',
      'calls.prose': 'use "./lib/summarize"\nlet r = summarize(text: "x", colour: "red")\nlet s = r.summry\n',
    });
    const run = await prose(['check', 'uses/calls.prose'], dir);
    expect(run.code).toBe(1);
    expect(headlines(run.stdout)).toEqual([
      'uses/calls.prose:2:9: error E026 missing input `style` for program `summarize`',
      'uses/calls.prose:2:30: error E027 unknown input `colour` for program `summarize`',
      'uses/calls.prose:3:11: error E028 unknown output `summry`: the program\'s outputs are summary',
    ]);
    expect(run.stderr).toBe('2 files checked: 3 errors, 0 warnings\n');
  });

  it('reports a local `use` with no file, and leaves an owner/name that is not installed here alone', async () => {
    write({ 'missing.prose': 'use "./lib/nonexist.prose"\nuse "alice/elsewhere"\nsession "x"\n' });
    const run = await prose(['check', 'uses/missing.prose'], dir);
    expect(run.code).toBe(1);
    expect(headlines(run.stdout)).toEqual(['uses/missing.prose:1:5: error E025 cannot load the program "./lib/nonexist.prose": no such file']);
  });

  it('checks the inputs of an installed program found in the project\'s .choiros/programs', async () => {
    mkdirSync(join(dir, '.choiros/programs/alice'), { recursive: true });
    writeFileSync(join(dir, '.choiros/programs/alice/research.prose'), 'input topic: "t"\noutput findings = session "Research {topic}"\n');
    write({ 'installed.prose': 'use "alice/research"\nlet r = research()\n' });
    const run = await prose(['check', '--json', 'uses/installed.prose'], dir);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual([
      { file: 'uses/installed.prose', line: 2, column: 9, endLine: 2, endColumn: 17, severity: 'error', code: 'E026', message: 'missing input `topic` for program `research`' },
    ]);
  });

  it('reports the problems of a used program under its own path, and programs that use each other', async () => {
    write({
      'cycle.prose': 'use "./lib/back"\nsession "x"\n',
      'lib/back.prose': 'use "../cycle"\nlet x =\n',
    });
    const run = await prose(['check', 'uses/cycle.prose'], dir);
    expect(run.code).toBe(1);
    expect(headlines(run.stdout)).toEqual([
      'uses/lib/back.prose:1:5: error E025 cannot load the program "../cycle": programs use each other in a cycle: uses/cycle.prose -> uses/lib/back.prose -> uses/cycle.prose',
      'uses/lib/back.prose:2:8: error E004 expected an expression, found the end of the line',
    ]);
    expect(run.stderr).toBe('2 files checked: 2 errors, 0 warnings\n');
  });

  it('checks a program given and also used only once', async () => {
    write({ 'lib/ok.prose': 'input a: "a"\noutput b = session "{a}"\n', 'twice.prose': 'use "./lib/ok.prose"\nlet r = ok(a: 1)\nlet c = r.b\n' });
    expect(await prose(['check', 'uses/twice.prose', 'uses/lib/ok.prose'], dir)).toEqual({ code: 0, stdout: '', stderr: '2 files checked: no problems\n' });
  });
});

describe('prose fmt', () => {
  it('prints the canonical form', async () => {
    const run = await prose(['fmt', 'messy.prose'], dir);
    expect(run).toMatchObject({ code: 0, stdout: 'agent a:\n  model: opus\nsession: a\n' });
  });

  it('exits 1 with --check when a file is not formatted, and 0 when it is', async () => {
    expect(await prose(['fmt', '--check', 'messy.prose'], dir)).toMatchObject({ code: 1, stdout: 'messy.prose: not formatted\n' });
    expect(await prose(['fmt', '--check', 'review.prose'], dir)).toMatchObject({ code: 0, stdout: '' });
  });

  it('rewrites files in place with --write', async () => {
    writeFileSync(join(dir, 'rewrite.prose'), 'session   "x"\n');
    expect((await prose(['fmt', '--write', 'rewrite.prose'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'rewrite.prose'), 'utf8')).toBe('session "x"\n');
  });

  it('refuses --check with --write as a usage error, writing nothing', async () => {
    writeFileSync(join(dir, 'both.prose'), 'session   "x"\n');
    const run = await prose(['fmt', '--check', '--write', 'both.prose'], dir);
    expect([run.code, run.stdout, run.stderr]).toEqual([2, '', expect.stringContaining('error: --check and --write cannot be combined: --check writes nothing.')]);
    expect(readFileSync(join(dir, 'both.prose'), 'utf8')).toBe('session   "x"\n');
  });

  it('refuses to format a program with errors', async () => {
    writeFileSync(join(dir, 'syntax.prose'), 'let x =\n');
    const run = await prose(['fmt', 'syntax.prose'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('syntax.prose:1:8: error E004 expected an expression, found the end of the line');
    expect(run.stderr).toContain('syntax.prose: not formatted: fix the errors above first');
  });
});
