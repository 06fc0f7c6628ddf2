import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/ledger.js';
import { BIN, choirosHome, runCli, type Ran } from './cli-fixture.js';
import { repoFixture, type TempRepo } from './git-fixture.js';
import { PROSE } from '../helpers/project.js';

/**
 * Ctrl-C at the exact git command under test. `git` on PATH is a wrapper that, on the Nth call
 * naming a given subcommand, signals choiros' whole process group with SIGINT — as a terminal
 * does with its foreground job — and then runs the real git. A git run in choiros' own group dies
 * of it before it starts (as a real git would, halfway); one run in a process group of its own is
 * not reached and carries on.
 */

const GIT = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();

const home = choirosHome();
const fixture = repoFixture();

/**
 * A folder holding a `git` that sends Ctrl-C on the `nth` call whose arguments include `words` —
 * or runs `signals` instead, shell commands where `$PPID` is choiros' process group.
 */
function interruptingGit(words: string, nth = 1, signals = 'kill -INT -"$PPID"'): string {
  const dir = mkdtempSync(join(tmpdir(), 'choiros-ctrlc-'));
  const calls = join(dir, 'calls');
  writeFileSync(calls, '');
  // choiros is started as the leader of its own group, and spawns git directly: $PPID is the group.
  const script = `#!/bin/sh
case " $* " in
  *" ${words} "*)
    echo >> '${calls}'
    if [ "$(wc -l < '${calls}')" -eq ${nth} ]; then ${signals}; fi ;;
esac
exec '${GIT}' "$@"
`;
  writeFileSync(join(dir, 'git'), script);
  chmodSync(join(dir, 'git'), 0o755);
  return dir;
}

/** The tmux socket choiros is told to use: none runs there, unless a test makes it look so. */
const SOCKET = `choiros-test-${process.pid}-none`;

interface Interrupt {
  nth: number;
  signals: string;
  bin?: string;
  /** A folder searched before the rest of PATH (for a tmux of the test's own). */
  path?: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs the built CLI (`choiros`, or `bin`) as a terminal's foreground job (its own process group), Ctrl-C coming at `words`. */
async function choirosInterrupted(cwd: string, words: string, nth: number | Interrupt, ...args: string[]): Promise<Ran> {
  const wrapper = typeof nth === 'number' ? interruptingGit(words, nth) : interruptingGit(words, nth.nth, nth.signals);
  const more: Partial<Interrupt> = typeof nth === 'number' ? {} : nth;
  try {
    const path = [wrapper, ...(more.path === undefined ? [] : [more.path]), process.env.PATH ?? ''].join(':');
    const env = { ...process.env, PATH: path, CHOIROS_HOME: home(), NO_COLOR: '1', CHOIROS_TMUX_SOCKET: SOCKET, ...more.env };
    return await runCli(args, { cwd, env, detached: true, ...(typeof nth === 'number' || nth.bin === undefined ? {} : { bin: nth.bin }) });
  } finally {
    rmSync(wrapper, { recursive: true, force: true });
  }
}

function checkpoint(repo: TempRepo): string {
  const out = execFileSync(process.execPath, [BIN, 'checkpoint', '--json'], { cwd: repo.root, env: { ...process.env, CHOIROS_HOME: home() }, encoding: 'utf8' });
  return (JSON.parse(out) as { name: string }).name;
}

/** A checkpoint holding CRLF files that `core.autocrlf=input` would store as LF, then other edits. */
function rawCheckpointed(prepare: (repo: TempRepo) => void = () => undefined): { repo: TempRepo; name: string; target: Map<string, string> } {
  const repo = fixture();
  repo.git('config', 'core.autocrlf', 'input');
  prepare(repo);
  repo.write('src/app.ts', 'saved\r\nwith CRLF\r\n');
  repo.write('notes/windows.txt', 'untracked\r\nCRLF\r\n');
  const name = checkpoint(repo);
  const target = repo.state();
  repo.write('src/app.ts', 'later\n');
  repo.write('notes/windows.txt', 'later too\n');
  return { repo, name, target };
}

describe('Ctrl-C at each git command of a checkpoint or rollback', () => {
  it('cancels a rollback while the undo handle is saved (exit 130): nothing changed, no handle', async () => {
    const { repo, name } = rawCheckpointed();
    const before = repo.state();

    const ran = await choirosInterrupted(repo.root, 'update-ref', 1, 'rollback', name, '--yes');

    expect([ran.code, ran.stderr]).toEqual([130, '']);
    expect(repo.state()).toEqual(before);
    expect(repo.refs('refs/choiros')).toBe('');
  });

  for (const [words, what] of [
    ['ls-tree', 'listing the files stored without line-ending conversion'],
    ['cat-file --batch', 'reading the files stored without line-ending conversion'],
  ] as const) {
    it(`finishes a rollback whose files have moved when Ctrl-C comes while ${what} (exit 0): the target byte for byte, and an undo`, async () => {
      const { repo, name, target } = rawCheckpointed();
      const before = repo.state();

      const ran = await choirosInterrupted(repo.root, words, 1, 'rollback', name, '--yes');

      expect([ran.code, ran.stderr]).toEqual([0, '']);
      expect(ran.stdout).toContain(`Rolled back to ${name}.`);
      expect(repo.state()).toEqual(target);
      expect(repo.refs('refs/choiros')).toContain('refs/choiros/pre-rollback/1');
      execFileSync(process.execPath, [BIN, 'rollback', '--undo', '--yes'], { cwd: repo.root, env: { ...process.env, CHOIROS_HOME: home(), CHOIROS_TMUX_SOCKET: `choiros-test-${process.pid}-none` } });
      expect(repo.state()).toEqual(before);
    });
  }

  it('finishes pruning old undo handles after the files moved when Ctrl-C comes (exit 0)', async () => {
    const { repo, name, target } = rawCheckpointed();
    // Two undo handles a month old: the older one is due for pruning by the next rollback.
    const month = String(Math.floor(Date.now() / 1000) - 30 * 24 * 3600);
    for (const n of [1, 2]) {
      const old = repo.gitWith({ env: { ...process.env, GIT_COMMITTER_DATE: `${month} +0000`, GIT_AUTHOR_DATE: `${month} +0000` } }, 'commit-tree', 'HEAD^{tree}', '-m', `old ${n}\n\nHandle: pre-rollback\nTarget: x\nWorktree: ${repo.root}`).trim();
      repo.git('update-ref', `refs/choiros/pre-rollback/${n}`, old);
    }

    // The first `update-ref` saves the new handle, the second prunes.
    const ran = await choirosInterrupted(repo.root, 'update-ref', 2, 'rollback', name, '--yes');

    expect([ran.code, ran.stderr]).toEqual([0, '']);
    expect(repo.state()).toEqual(target);
    const refs = repo.refs('refs/choiros');
    expect(refs).not.toMatch(/pre-rollback\/1 /);
    expect(refs).toContain('refs/choiros/pre-rollback/2');
    expect(refs).toContain('refs/choiros/pre-rollback/3');
  });

  it('finishes a rollback of many files when Ctrl-C comes as they start moving (exit 0): the checkpoint byte for byte', async () => {
    const repo = fixture();
    for (let i = 0; i < 1500; i++) repo.write(`many/f${i}.txt`, `checkpointed ${i}\n`);
    const name = checkpoint(repo);
    const saved = repo.state();
    for (let i = 0; i < 1500; i++) repo.write(`many/f${i}.txt`, `edited ${i}\n`);

    const ran = await choirosInterrupted(repo.root, 'read-tree', 1, 'rollback', name, '--yes');

    expect([ran.code, ran.stderr]).toEqual([0, '']);
    expect(ran.stdout).toContain(`Rolled back to ${name}.`);
    expect(repo.state()).toEqual(saved);
  });

  // The move runs in a process group of its own; choiros must outlast it to finish the rollback
  // (write back the raw files, make the empty folders, prune), whatever else arrives meanwhile.
  for (const [signals, what] of [
    ['kill -INT -"$PPID"; sleep 0.3; kill -INT -"$PPID"; sleep 0.5', 'a second Ctrl-C'],
    ['kill -TERM -"$PPID"; sleep 5.5', 'SIGTERM, and the move takes longer than the five seconds other commands get'],
  ] as const) {
    it(`finishes a rollback whose files are moving after ${what} (exit 0): the target byte for byte`, async () => {
      const { repo, name, target } = rawCheckpointed();

      const ran = await choirosInterrupted(repo.root, 'read-tree', { nth: 1, signals }, 'rollback', name, '--yes');

      expect(ran.code).toBe(0);
      expect(ran.stdout).toContain(`Rolled back to ${name}.`);
      expect(repo.state()).toEqual(target);
      expect(repo.refs('refs/choiros')).toContain('refs/choiros/pre-rollback/1');
    });
  }

  it("finishes a .prose program's rollback whose files are moving after a second Ctrl-C: the checkpoint byte for byte, then the run stops", async () => {
    // The run's ledger lives in .choiros/: ignored, so that no snapshot or rollback touches it.
    const { repo, name, target } = rawCheckpointed((r) => r.write('.gitignore', '.choiros/\n'));
    // Written after the checkpoint: the rollback removes it (the run has read it by then).
    repo.write('back.prose', `rollback to "${name}"\nexec "touch after.txt"\n`);

    const signals = 'kill -INT -"$PPID"; sleep 0.3; kill -INT -"$PPID"; sleep 0.5';
    const ran = await choirosInterrupted(repo.root, 'read-tree', { nth: 1, signals, bin: PROSE }, 'run', 'back.prose');

    expect(ran.code).toBe(130);
    // The second Ctrl-C came while the files moved: the process said it would finish first. (It
    // exits the moment they have, so the step's own ✓ line may or may not make it out.)
    expect(ran.stderr).toContain('finishing what has started');
    const after = repo.state();
    for (const path of after.keys()) if (path.startsWith('.choiros/')) after.delete(path);
    expect(after).toEqual(target);
    expect(repo.refs('refs/choiros')).toContain('refs/choiros/pre-rollback/1');
  });

  it("records a .prose program's rollback in its ledger as the files move, before the windows restart: a second Ctrl-C cannot leave it unrecorded", async () => {
    const { repo, name } = rawCheckpointed((r) => {
      r.write('.gitignore', '.choiros/\n');
      r.write('choiros.yaml', 'session: slow\nwindows:\n  - name: api\n    command: sleep 600\n');
    });
    repo.write('back.prose', `rollback to "${name}"\n`);
    // A session seems to run (its socket is there), and its tmux takes two seconds to answer: the
    // api window's restart outlasts the moment the process may exit, once the files have moved.
    const slow = mkdtempSync(join(tmpdir(), 'choiros-slow-tmux-'));
    mkdirSync(join(slow, `tmux-${process.getuid?.() ?? 0}`));
    writeFileSync(join(slow, `tmux-${process.getuid?.() ?? 0}`, SOCKET), '');
    writeFileSync(join(slow, 'tmux'), '#!/bin/sh\nsleep 2\nexit 1\n');
    chmodSync(join(slow, 'tmux'), 0o755);
    const signals = 'kill -INT -"$PPID"; sleep 0.3; kill -INT -"$PPID"; sleep 0.5';
    try {
      const ran = await choirosInterrupted(repo.root, 'read-tree', { nth: 1, signals, bin: PROSE, path: slow, env: { TMUX_TMPDIR: slow } }, 'run', 'back.prose');
      expect(ran.code).toBe(130);
      expect(ran.stderr).toContain('finishing what has started');
    } finally {
      rmSync(slow, { recursive: true, force: true });
    }
    const ledger = Ledger.open(join(repo.root, '.choiros', 'ledger.db'), { readonly: true });
    try {
      expect(ledger.events().flatMap(({ event }) => (event.type === 'rollback' ? [event] : []))).toEqual([{ type: 'rollback', target: name, undo: 'pre-rollback/1' }]);
    } finally {
      ledger.close();
    }
  });

  for (const words of ['commit-tree', 'tag']) {
    it(`cancels a checkpoint when Ctrl-C comes during \`git ${words}\` (exit 130): no tag`, async () => {
      const repo = fixture();
      repo.write('src/app.ts', 'edited\n');
      const before = repo.state();

      const ran = await choirosInterrupted(repo.root, words, 1, 'checkpoint');

      expect([ran.code, ran.stderr]).toEqual([130, '']);
      expect(repo.git('tag', '--list').trim()).toBe('');
      expect(repo.state()).toEqual(before);
    });
  }
});
