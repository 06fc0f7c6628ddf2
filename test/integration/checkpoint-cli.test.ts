import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, choirosHome, runCli, type Ran } from './cli-fixture.js';
import { repoFixture } from './git-fixture.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/dev-workflow.sh', import.meta.url));

const home = choirosHome();
const fixture = repoFixture();

function env(): NodeJS.ProcessEnv {
  // A private tmux socket: a rollback looks for a running session to restart, and must find none.
  return { ...process.env, CHOIROS_HOME: home(), NO_COLOR: '1', CHOIROS_TMUX_SOCKET: `choiros-test-${process.pid}-none` };
}

/** Runs the built CLI with stdin a pipe (so: no terminal). */
function choiros(cwd: string, ...args: string[]): Ran {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, env: env(), encoding: 'utf8', input: '' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function json<T>(ran: Ran): T {
  return JSON.parse(ran.stdout) as T;
}

describe('choiros checkpoint / checkpoints / rollback (CLI)', () => {
  it('refuses -m with no message (exit 2) and saves nothing, where leaving -m out takes the default message', () => {
    const repo = fixture();
    for (const args of [['-m'], ['-m', ''], ['--message='], ['-m', '  '], ['-m', '--json']]) {
      const ran = choiros(repo.root, 'checkpoint', ...args);
      expect([ran.code, ran.stdout], args.join(' ')).toEqual([2, '']);
      expect(ran.stderr).toBe('error: -m/--message needs the message: nothing was saved.\n  choiros checkpoint -m "before the refactor" — or leave -m out for the default message.\n');
    }
    expect(repo.git('tag', '--list', 'checkpoint-*').trim()).toBe('');
    expect(choiros(repo.root, 'checkpoint').code).toBe(0);
  });

  it('checkpoint --json prints {name, commit, skipped} and tags the snapshot, leaving the index alone', () => {
    const repo = fixture();
    repo.write('src/app.ts', 'edited\n');
    repo.write('node_modules/x/index.js', 'dep\n');
    const index = repo.index();

    const ran = choiros(repo.root, 'checkpoint', '-m', 'before the refactor', '--json');

    expect(ran.code).toBe(0);
    const out = json<{ name: string; commit: string; skipped: string[] }>(ran);
    expect(out.name).toMatch(/^checkpoint-\d{8}-\d{6}$/);
    expect(out.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(out.skipped).toEqual(['node_modules/']);
    expect(repo.git('tag', '--list', 'checkpoint-*').trim()).toBe(out.name);
    expect(repo.git('cat-file', '-p', out.name)).toContain('before the refactor');
    expect(repo.index().equals(index)).toBe(true);
  });

  it('checkpoints lists newest first as a table and as JSON, with verdicts set by --mark', () => {
    const repo = fixture();
    const first = json<{ name: string }>(choiros(repo.root, 'checkpoint', '-m', 'one', '--json')).name;
    repo.write('more.txt', 'more\n');
    expect(choiros(repo.root, 'checkpoint', '--mark', first, '--verdict', 'good').stdout).toBe(`Marked ${first} good.\n`);
    const second = json<{ name: string }>(choiros(repo.root, 'checkpoint', '-m', 'two', '--json')).name;

    const table = choiros(repo.root, 'checkpoints');
    const list = json<Array<Record<string, unknown>>>(choiros(repo.root, 'checkpoints', '--json'));

    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+AGE\s+VERDICT\s+FILES\s+MESSAGE$/);
    expect(list.map((c) => [c.kind, c.name, c.verdict, c.message, c.filesChanged])).toEqual([
      ['checkpoint', second, 'unverified', 'two', 1],
      ['checkpoint', first, 'good', 'one', 0],
    ]);
    expect(Object.keys(list[0] ?? {}).sort()).toEqual(['ageSeconds', 'commit', 'date', 'filesChanged', 'kind', 'message', 'name', 'runId', 'verdict']);
  });

  it('refuses to roll back without --yes when there is no terminal, after showing the preview', () => {
    const repo = fixture();
    const { name } = json<{ name: string }>(choiros(repo.root, 'checkpoint', '--json'));
    repo.write('src/app.ts', 'work in progress\n');
    repo.write('fresh.txt', 'new\n');

    const ran = choiros(repo.root, 'rollback');

    expect(ran.code).toBe(2);
    expect(ran.stdout).toContain(`Roll back to ${name}`);
    expect(ran.stdout).toMatch(/modify\s+src\/app\.ts/);
    expect(ran.stdout).toMatch(/delete\s+fresh\.txt/);
    expect(ran.stderr).toContain('Refusing to roll back without --yes');
    expect(repo.read('src/app.ts')).toBe('work in progress\n');
    expect(repo.refs('refs/choiros')).toBe('');
  });

  it('asks on a terminal: yes rolls back, anything else changes nothing (exit 130)', () => {
    const repo = fixture();
    choiros(repo.root, 'checkpoint');
    // `script` gives the command a real terminal; the answer waits in the terminal's input.
    const onTerminal = (answer: string) =>
      spawnSync('script', ['-qec', `${process.execPath} ${BIN} rollback`, '/dev/null'], { cwd: repo.root, env: env(), encoding: 'utf8', input: `${answer}\n` });
    repo.write('src/app.ts', 'mine\n');

    const declined = onTerminal('n');
    expect(declined.status).toBe(130);
    expect(declined.stdout).toContain('Roll back 1 file to checkpoint-');
    expect(repo.read('src/app.ts')).toBe('mine\n');

    const accepted = onTerminal('y');
    expect(accepted.status).toBe(0);
    expect(accepted.stdout).toContain('Rolled back to checkpoint-');
    expect(repo.read('src/app.ts')).toBe('export const answer = 42;\n');
  });

  it('rolls back with --yes --json and undoes with --undo, restoring untracked files', () => {
    const repo = fixture();
    const { name } = json<{ name: string }>(choiros(repo.root, 'checkpoint', '--json'));
    repo.write('src/app.ts', 'work in progress\n');
    repo.write('fresh.txt', 'new\n');
    const before = repo.state();

    const rolled = choiros(repo.root, 'rollback', name, '--yes', '--json');

    expect(rolled.code).toBe(0);
    expect(json(rolled)).toEqual({
      target: name,
      kind: 'checkpoint',
      commit: expect.stringMatching(/^[0-9a-f]{40}$/) as unknown,
      changes: { modify: ['src/app.ts'], create: [], delete: ['fresh.txt'] },
      emptyFolders: { create: [], delete: [] },
      skipped: [],
      submodules: [],
      blocked: [],
      headMoved: false,
      applied: true,
      dryRun: false,
      undo: 'pre-rollback/1',
      kept: [],
      restarted: [],
      restartFailed: [],
    });
    expect(repo.read('src/app.ts')).toBe('export const answer = 42;\n');

    const undone = choiros(repo.root, 'rollback', '--undo', '--yes');
    expect(undone.code).toBe(0);
    expect(undone.stdout).toContain('Rolled back to pre-rollback/1.');
    expect(repo.state()).toEqual(before);
    expect(choiros(repo.root, 'checkpoints', '--all').stdout).toMatch(/pre-rollback\/2\s+just now\s+pre-rollback\/1\n/);
  });

  it("says which files it kept because the checkpoint's own .gitignore ignores them", () => {
    const repo = fixture();
    repo.write('.gitignore', 'ignored/\n*.log\nnotes.txt\n');
    const { name } = json<{ name: string }>(choiros(repo.root, 'checkpoint', '--json'));
    repo.write('.gitignore', 'ignored/\n*.log\n');
    repo.write('notes.txt', 'visible now\n');

    const rolled = choiros(repo.root, 'rollback', name, '--yes');

    expect(rolled.code).toBe(0);
    expect(rolled.stdout).toContain(`Kept notes.txt: ${name}'s .gitignore ignores it, and ignored files are never touched.`);
    expect(repo.read('notes.txt')).toBe('visible now\n');
    const undone = json<{ kept: string[]; applied: boolean }>(choiros(repo.root, 'rollback', '--undo', '--yes', '--json'));
    expect(undone).toMatchObject({ applied: true, kept: [] });
    expect(repo.read('.gitignore')).toBe('ignored/\n*.log\n');
  });

  it('shows a dry run without changing anything', () => {
    const repo = fixture();
    choiros(repo.root, 'checkpoint');
    repo.write('fresh.txt', 'new\n');
    const ran = choiros(repo.root, 'rollback', '--dry-run');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('1 file to delete');
    expect(ran.stdout).toContain('Dry run: nothing was changed.');
    expect(repo.read('fresh.txt')).toBe('new\n');
  });

  it('previews the empty folders a rollback creates and removes, and the paths that block it', () => {
    const repo = fixture();
    repo.mkdir('logs/empty');
    choiros(repo.root, 'checkpoint');
    repo.remove('logs');
    repo.mkdir('scratch/e');
    // Ignored, where the checkpoint has a file: no snapshot holds it, so the rollback will refuse.
    repo.write('.gitignore', 'ignored/\n*.log\nsrc/app.ts\n');
    repo.git('rm', '-q', '--cached', 'src/app.ts');
    repo.write('src/app.ts', 'ignored now\n');

    const ran = choiros(repo.root, 'rollback', '--dry-run');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/1 empty folder to create, 1 empty folder to remove/);
    expect(ran.stdout).toMatch(/create\s+logs\/empty\/\s+\(empty folder\)/);
    expect(ran.stdout).toMatch(/remove\s+scratch\/e\/\s+\(empty folder\)/);
    expect(ran.stdout).toMatch(/Blocked: .*\n\s+src\/app\.ts\n/);
    const preview = json<{ emptyFolders: unknown; blocked: string[] }>(choiros(repo.root, 'rollback', '--dry-run', '--json'));
    expect(preview.emptyFolders).toEqual({ create: ['logs/empty'], delete: ['scratch/e'] });
    expect(preview.blocked).toEqual(['src/app.ts']);
  });

  it('refuses in the middle of a rebase', () => {
    const repo = fixture();
    choiros(repo.root, 'checkpoint');
    repo.git('checkout', '-q', '-b', 'topic');
    repo.write('src/app.ts', 'topic\n');
    repo.git('commit', '-q', '-am', 'topic');
    repo.git('checkout', '-q', 'main');
    repo.write('src/app.ts', 'main\n');
    repo.git('commit', '-q', '-am', 'main');
    expect(() => repo.git('rebase', 'topic')).toThrow();
    const before = repo.state();

    const ran = choiros(repo.root, 'rollback', '--yes');

    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('a rebase is in progress');
    expect(ran.stderr).toContain('git rebase --continue (or git rebase --abort)');
    expect(repo.state()).toEqual(before);
  });

  it('detects files changing during the rollback and changes nothing', async () => {
    const repo = fixture();
    const { name } = json<{ name: string }>(choiros(repo.root, 'checkpoint', '--json'));
    repo.write('src/app.ts', 'to be rolled back\n');
    // A busy writer (an agent, a build) appending to a file while the rollback runs.
    const writer = spawn(process.execPath, ['-e', `const fs=require('fs');let i=0;setInterval(()=>fs.appendFileSync('busy.txt', (i++)+'\\n'),2)`], { cwd: repo.root, stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const ran = await runCli(['rollback', name, '--yes'], { cwd: repo.root, env: env() });
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain('Files changed while preparing the rollback: busy.txt');
      expect(repo.read('src/app.ts')).toBe('to be rolled back\n');
      expect(repo.refs('refs/choiros')).toBe('');
    } finally {
      writer.kill('SIGKILL');
    }
  });

  it('stops at a Ctrl-C while it takes the snapshot, as a cancellation (exit 130) with nothing changed', async () => {
    const repo = fixture();
    for (let i = 0; i < 1500; i++) repo.write(`many/f${i}.txt`, `checkpointed ${i}\n`);
    const { name } = json<{ name: string }>(choiros(repo.root, 'checkpoint', '--json'));
    for (let i = 0; i < 1500; i++) repo.write(`many/f${i}.txt`, `edited ${i}\n`);
    const before = repo.state();
    // git recording the work tree for the snapshot: a `git add` running in the repository.
    const recording = () =>
      readdirSync('/proc').some((pid) => {
        try {
          return readlinkSync(`/proc/${pid}/cwd`) === repo.root && readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('add');
        } catch {
          return false;
        }
      });
    const ran = await runCli(['rollback', name, '--yes'], {
      cwd: repo.root,
      env: env(),
      detached: true,
      whileRunning: (child) => {
        const poll = setInterval(() => {
          if (!recording()) return;
          clearInterval(poll);
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
        }, 1);
      },
    });

    expect([ran.code, ran.stderr]).toEqual([130, '']);
    expect(repo.state()).toEqual(before);
    expect(repo.refs('refs/choiros')).toBe('');
  });

  it('works on an unborn branch (no commits yet)', () => {
    const repo = fixture({ commit: false });
    repo.write('first.txt', 'one\n');
    const { name } = json<{ name: string }>(choiros(repo.root, 'checkpoint', '--json'));
    repo.write('first.txt', 'two\n');

    expect(choiros(repo.root, 'rollback', '--yes').code).toBe(0);
    expect(repo.read('first.txt')).toBe('one\n');
    expect(choiros(repo.root, 'checkpoints').stdout).toContain(name);
  });

  it('reports submodules rather than silently skipping them', () => {
    const repo = fixture();
    const library = fixture();
    repo.gitWith({}, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', library.root, 'vendor/lib');
    repo.git('commit', '-q', '-m', 'add submodule');

    const plain = choiros(repo.root, 'checkpoint');
    const asJson = json<{ submodules: string[] }>(choiros(repo.root, 'checkpoint', '--json'));

    expect(plain.stdout).toContain('Submodule vendor/lib: its commit is recorded, its own uncommitted changes are not.');
    expect(asJson.submodules).toEqual(['vendor/lib']);
  });

  it('names a broken config before a missing repository, and works from a subfolder of the project', () => {
    // git looks for the repository while the config loads: the config's error must still win.
    const outside = mkdtempSync(join(tmpdir(), 'choiros-norepo-'));
    try {
      writeFileSync(join(outside, 'choiros.yaml'), 'windows: [\n');
      for (const command of [['checkpoint'], ['checkpoints'], ['rollback', '--yes']]) {
        const ran = choiros(outside, ...command);
        expect(ran.code).toBe(2);
        expect(ran.stderr).toContain('choiros.yaml');
        expect(ran.stderr).not.toContain('git repository');
      }
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
    const repo = fixture();
    repo.write('src/deep/new.txt', 'new\n');
    const made = json<{ name: string }>(choiros(join(repo.root, 'src', 'deep'), 'checkpoint', '--json'));
    expect(repo.git('ls-tree', '-r', '--name-only', made.name)).toContain('src/deep/new.txt');
  });

  it('explains what is wrong outside a repository and with an unknown checkpoint', () => {
    const outside = mkdtempSync(join(tmpdir(), 'choiros-norepo-'));
    try {
      const ran = choiros(outside, 'checkpoint');
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain('is not inside a git repository');
      expect(ran.stderr).toContain('git init');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
    const repo = fixture();
    choiros(repo.root, 'checkpoint');
    const unknown = choiros(repo.root, 'rollback', 'checkpoint-nope', '--yes');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("There is no checkpoint or commit named 'checkpoint-nope'");
  });

  it('keeps the seed workflow working through scripts/dev-workflow.sh', () => {
    const repo = fixture();
    const run = (...args: string[]) => spawnSync('bash', [SCRIPT, ...args], { cwd: repo.root, env: { ...env(), CHOIROS: `${process.execPath} ${BIN}` }, encoding: 'utf8', input: '' });

    expect(run('checkpoint', '-m', 'safe state').status).toBe(0);
    const name = repo.git('tag', '--list', 'checkpoint-*').trim();
    repo.write('src/app.ts', 'agent broke it\n');
    expect(run('rollback', name, '--yes').status).toBe(0);
    expect(repo.read('src/app.ts')).toBe('export const answer = 42;\n');
    expect(run('undo', '--yes').status).toBe(0);
    expect(repo.read('src/app.ts')).toBe('agent broke it\n');
    expect(run('checkpoints').stdout).toContain('safe state');
    expect(run('nonsense').status).toBe(2);
  });
});
