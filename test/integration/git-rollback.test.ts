import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/errors.js';
import { BlockedPathsError, Checkpoints, ConcurrentChangeError, DEFAULT_SETTINGS, type CheckpointSettings, type RollbackResult } from '../../src/git/index.js';
import { finishing } from '../../src/process/finishing.js';
import { repoFixture, type TempRepo, withoutEmptyDirs } from './git-fixture.js';

const fixture = repoFixture();

function store(repo: TempRepo | string, settings: Partial<CheckpointSettings> = {}): Checkpoints {
  return new Checkpoints(typeof repo === 'string' ? repo : repo.root, { ...DEFAULT_SETTINGS, ...settings });
}

/** A repository with a rich dirty state captured in a checkpoint. */
async function checkpointed(): Promise<{ repo: TempRepo; name: string; saved: Map<string, string> }> {
  const repo = fixture();
  repo.write('src/app.ts', 'checkpointed\n');
  repo.write('untracked/notes.md', 'notes\n');
  repo.write('run.sh', '#!/bin/sh\n', 0o755);
  repo.symlink('current', 'src/app.ts');
  repo.remove('README.md');
  const { name } = await store(repo).create({ message: 'good state' });
  return { repo, name, saved: repo.state() };
}

describe('rollback', () => {
  it('stops with nothing changed when cancelled before the work tree moves (a Ctrl-C during the preview)', async () => {
    const { repo, name } = await checkpointed();
    repo.write('src/app.ts', 'edited after\n');
    const before = repo.state();
    const controller = new AbortController();

    const rolling = store(repo).rollback({
      target: name,
      signal: controller.signal,
      confirm: () => {
        controller.abort();
        return true;
      },
    });

    await expect(rolling).rejects.toBeInstanceOf(CancelledError);
    expect(repo.state()).toEqual(before);
    expect(repo.refs('refs/choiros')).toBe('');
  });

  it('restores the checkpoint exactly, and undo restores the state before it exactly', async () => {
    const { repo, name, saved } = await checkpointed();
    repo.write('src/app.ts', 'broken by an agent\n');
    repo.write('src/extra.ts', 'new file\n');
    repo.remove('untracked/notes.md');
    repo.remove('current');
    repo.write('current', 'now a file\n');
    repo.write('run.sh', '#!/bin/sh\nexit 1\n', 0o644);
    const index = repo.index();
    const head = repo.git('rev-parse', 'HEAD');
    const before = repo.state();

    const result = await store(repo).rollback({ target: name });

    expect(result.applied).toBe(true);
    expect(result.undo?.name).toBe('pre-rollback/1');
    expect(withoutEmptyDirs(repo.state())).toEqual(withoutEmptyDirs(saved));
    expect(repo.index().equals(index)).toBe(true);
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);

    const undone = await store(repo).undo();

    expect(undone.undo?.name).toBe('pre-rollback/2');
    expect(repo.state()).toEqual(before);
    expect(repo.index().equals(index)).toBe(true);
  });

  it('previews what changes and what is deleted', async () => {
    const { repo, name } = await checkpointed();
    repo.write('src/app.ts', 'changed\n');
    repo.write('brand new.txt', 'x\n');
    repo.remove('run.sh');

    const { preview, applied } = await store(repo).rollback({ target: name, dryRun: true });

    expect(applied).toBe(false);
    expect(preview.changes.map((c) => [c.kind, c.path])).toEqual([
      ['delete', 'brand new.txt'],
      ['create', 'run.sh'],
      ['modify', 'src/app.ts'],
    ]);
    expect(repo.read('src/app.ts')).toBe('changed\n');
    expect(repo.refs('refs/choiros')).toBe('');
  });

  it('never deletes skipped or ignored files, even ones created after the checkpoint', async () => {
    const { repo, name } = await checkpointed();
    repo.write('node_modules/dep/index.js', 'dependency\n');
    repo.write('ignored/cache.db', 'ignored\n');
    repo.write('debug.log', 'ignored too\n');
    repo.write('huge.bin', Buffer.alloc(4096, 7));

    const result = await store(repo, { policy: { maxFileSize: 1024, exclude: [] } }).rollback({ target: name });

    expect(result.preview.skipped.map((s) => s.path)).toEqual(['huge.bin', 'node_modules/']);
    expect(repo.read('node_modules/dep/index.js')).toBe('dependency\n');
    expect(repo.read('ignored/cache.db')).toBe('ignored\n');
    expect(repo.read('debug.log')).toBe('ignored too\n');
    expect(repo.state().has('huge.bin')).toBe(true);
  });

  it('refuses to overwrite an ignored file that stands where the checkpoint has a file', async () => {
    const repo = fixture();
    repo.write('config.local', 'from the checkpoint\n');
    const { name } = await store(repo).create();
    repo.remove('config.local');
    repo.write('.gitignore', 'ignored/\n*.log\nconfig.local\n');
    repo.write('config.local', 'precious, ignored, in no snapshot\n');
    const before = repo.state();

    await expect(store(repo).rollback({ target: name })).rejects.toBeInstanceOf(BlockedPathsError);

    expect(repo.state()).toEqual(before);
    expect(repo.refs('refs/choiros')).toBe('');
  });

  it('writes over an ignored file in the way that already holds exactly what the checkpoint has there', async () => {
    const repo = fixture();
    repo.write('config.local', 'the same either way\n');
    const { name } = await store(repo).create();
    repo.remove('config.local');
    repo.write('.gitignore', 'ignored/\n*.log\nconfig.local\n');
    repo.write('config.local', 'the same either way\n');
    repo.write('src/app.ts', 'edited after\n');

    const result = await store(repo).rollback({ target: name });

    expect(result.applied).toBe(true);
    expect(repo.read('config.local')).toBe('the same either way\n');
    expect(repo.read('src/app.ts')).toBe('export const answer = 42;\n');
    // The executable bit counts as content: a copy with another mode is still in the way.
    repo.write('.gitignore', 'ignored/\n*.log\nconfig.local\n');
    repo.write('config.local', 'the same either way\n', 0o755);
    await expect(store(repo).rollback({ target: name })).rejects.toBeInstanceOf(BlockedPathsError);
  });

  it("undo keeps a file and an empty folder the state before ignored, where the rollback's checkpoint did not ignore them: byte for byte", async () => {
    const repo = fixture();
    repo.mkdir('cache/empty');
    const { name } = await store(repo).create();
    repo.write('notes.txt', 'mine, ignored\n');
    repo.write('.gitignore', 'ignored/\n*.log\nnotes.txt\ncache/\n');
    repo.write('src/app.ts', 'edited after\n');
    const before = repo.state();

    await store(repo).rollback({ target: name });
    // The checkpoint's .gitignore is back: the file is no longer ignored, and never was moved.
    expect(repo.read('notes.txt')).toBe('mine, ignored\n');
    await store(repo).undo();

    expect(repo.state()).toEqual(before);
  });

  it("keeps a file the checkpoint's own .gitignore ignores, and undo returns to the state before byte for byte", async () => {
    const repo = fixture();
    repo.write('.gitignore', 'ignored/\n*.log\nnotes.txt\n');
    const { name } = await store(repo).create();
    repo.write('.gitignore', 'ignored/\n*.log\n');
    repo.write('notes.txt', 'visible now\n');
    const before = repo.state();

    const result = await store(repo).rollback({ target: name });

    // The checkpoint lacks the file because its rules ignored it, not because it was gone.
    expect(result.preview.changes).toContainEqual({ kind: 'delete', path: 'notes.txt', submodule: false });
    expect(result.kept).toEqual(['notes.txt']);
    expect(repo.read('notes.txt')).toBe('visible now\n');
    expect(repo.read('.gitignore')).toBe('ignored/\n*.log\nnotes.txt\n');
    await store(repo).undo();
    expect(repo.state()).toEqual(before);
  });

  it('without a confirmation too, checks again for an ignored file that appeared after the preview where the checkpoint has a file (git would overwrite it)', async () => {
    const repo = fixture();
    repo.write('config.local', 'from the checkpoint\n');
    const { name } = await store(repo).create();
    repo.remove('config.local');
    repo.write('.gitignore', 'ignored/\n*.log\nconfig.local\n');
    repo.write('src/app.ts', 'edited\n');
    const rollback = store(repo).rollback({
      target: name,
      // After the preview's check: an ignored file, in no snapshot, where the target has one.
      onPreview: () => repo.write('config.local', 'precious, written meanwhile\n'),
    });

    await expect(rollback).rejects.toBeInstanceOf(BlockedPathsError);
    expect(repo.read('config.local')).toBe('precious, written meanwhile\n');
    expect(repo.read('src/app.ts')).toBe('edited\n');
    expect(repo.refs('refs/choiros')).toBe('');
  });

  it('refuses when files change between the preview and the rollback, and changes nothing', async () => {
    const { repo, name } = await checkpointed();
    repo.write('src/app.ts', 'edit one\n');
    let error: unknown;
    try {
      await store(repo).rollback({
        target: name,
        confirm: () => {
          repo.write('src/app.ts', 'edit two, while the person was reading the preview\n');
          return true;
        },
      });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ConcurrentChangeError);
    expect((error as ConcurrentChangeError).paths).toEqual(['src/app.ts']);
    expect(repo.read('src/app.ts')).toBe('edit two, while the person was reading the preview\n');
    expect(repo.refs('refs/choiros')).toBe('');
  });

  it('without a confirmation, lets git refuse a file that changed after the snapshot, and keeps no handle', async () => {
    const { repo, name } = await checkpointed();
    repo.write('src/app.ts', 'edit one\n');
    repo.write('notes.txt', 'untracked\n');
    const rollback = store(repo).rollback({
      target: name,
      // Between the snapshot and the move: the file the rollback rewrites changes again.
      onPreview: () => repo.write('src/app.ts', 'edit two, written by an agent that is still running\n'),
    });

    await expect(rollback).rejects.toBeInstanceOf(ConcurrentChangeError);
    await expect(rollback).rejects.toMatchObject({ paths: ['src/app.ts'] });
    expect(repo.read('src/app.ts')).toBe('edit two, written by an agent that is still running\n');
    expect(repo.read('notes.txt')).toBe('untracked\n');
    expect(repo.refs('refs/choiros')).toBe('');
  });

  it('without a confirmation, keeps a change to a file the rollback does not touch', async () => {
    const { repo, name } = await checkpointed();
    repo.write('src/app.ts', 'edit one\n');
    const result = await store(repo).rollback({ target: name, onPreview: () => repo.write('README.md', 'edited meanwhile\n') });

    expect(result.applied).toBe(true);
    expect(repo.read('README.md')).toBe('edited meanwhile\n');
    // Nothing is lost: undoing snapshots this state first, so a second undo brings it back.
    await store(repo).undo();
    await store(repo).undo();
    expect(repo.read('README.md')).toBe('edited meanwhile\n');
  });

  it('gives back files byte for byte when line-ending conversion would not (core.autocrlf=input)', async () => {
    const repo = fixture();
    repo.git('config', 'core.autocrlf', 'input');
    repo.write('src/app.ts', 'edited\r\nwith CRLF\r\n');
    repo.write('notes/windows.txt', 'untracked\r\nCRLF\r\n');
    const { name } = await store(repo).create();
    repo.write('src/app.ts', 'later\n');
    repo.remove('notes/windows.txt');
    repo.write('new.txt', 'made after\r\nthe checkpoint\r\n');

    await store(repo).rollback({ target: name });
    expect(repo.read('src/app.ts')).toBe('edited\r\nwith CRLF\r\n');
    expect(repo.read('notes/windows.txt')).toBe('untracked\r\nCRLF\r\n');
    expect(existsSync(repo.path('new.txt'))).toBe(false);

    await store(repo).undo();
    expect(repo.read('src/app.ts')).toBe('later\n');
    expect(repo.read('new.txt')).toBe('made after\r\nthe checkpoint\r\n');
  });

  it('gives back hundreds of CRLF files byte for byte (more than one command line of names)', async () => {
    const repo = fixture();
    repo.git('config', 'core.autocrlf', 'input');
    const names = Array.from({ length: 620 }, (_, i) => `win/file ${i}.txt`);
    for (const [i, name] of names.entries()) repo.write(name, `line ${i}\r\n${'x'.repeat(i % 7)}\r\n`);
    const { name } = await store(repo).create();
    for (const file of names) repo.write(file, 'changed\n');

    await store(repo).rollback({ target: name });
    for (const [i, file] of names.entries()) expect(repo.read(file)).toBe(`line ${i}\r\n${'x'.repeat(i % 7)}\r\n`);
  });

  it('gives back files byte for byte when .gitattributes asks for CRLF on checkout', async () => {
    const repo = fixture();
    repo.write('.gitattributes', '*.md text eol=crlf\n');
    repo.git('add', '.gitattributes');
    repo.git('commit', '-q', '-m', 'attributes');
    repo.write('docs/lf.md', 'saved\nwith LF\n');
    const { name } = await store(repo).create();
    repo.write('docs/lf.md', 'changed\r\n');

    await store(repo).rollback({ target: name });
    expect(repo.read('docs/lf.md')).toBe('saved\nwith LF\n');
    await store(repo).undo();
    expect(repo.read('docs/lf.md')).toBe('changed\r\n');
  });

  it('refuses when a rebase starts while the confirmation is pending', async () => {
    const { repo, name } = await checkpointed();
    repo.write('src/app.ts', 'mine\n');
    const rollback = store(repo).rollback({
      target: name,
      confirm: () => {
        repo.mkdir('.git/rebase-merge');
        return true;
      },
    });
    await expect(rollback).rejects.toThrow(/a rebase is in progress/);
    expect(repo.read('src/app.ts')).toBe('mine\n');
    repo.remove('.git/rebase-merge');
  });

  it('tells onMoved once the files have moved, while a second Ctrl-C still waits; not when nothing moves', async () => {
    const { repo, name } = await checkpointed();
    repo.write('src/app.ts', 'edited after\n');
    const told: Array<{ undo: string | undefined; finishing: boolean; restored: boolean }> = [];
    const onMoved = (result: RollbackResult) => told.push({ undo: result.undo?.name, finishing: finishing(), restored: repo.read('src/app.ts') === 'checkpointed\n' });

    await store(repo).rollback({ target: name, dryRun: true, onMoved });
    await store(repo).rollback({ target: name, confirm: () => false, onMoved });
    expect(told).toEqual([]);

    const result = await store(repo).rollback({ target: name, onMoved });

    expect(told).toEqual([{ undo: 'pre-rollback/1', finishing: true, restored: true }]);
    expect(result.undo?.name).toBe('pre-rollback/1');
    expect(finishing()).toBe(false);
  });

  it('changes nothing when the confirmation says no', async () => {
    const { repo, name } = await checkpointed();
    repo.write('src/app.ts', 'keep me\n');
    const result = await store(repo).rollback({ target: name, confirm: () => false });
    expect(result.applied).toBe(false);
    expect(repo.read('src/app.ts')).toBe('keep me\n');
  });

  it('refuses during a rebase, a merge, a cherry-pick and a bisect', async () => {
    const repo = fixture();
    const { name } = await store(repo).create();
    repo.git('checkout', '-q', '-b', 'other');
    repo.write('src/app.ts', 'other side\n');
    repo.git('commit', '-q', '-am', 'other');
    repo.git('checkout', '-q', 'main');
    repo.write('src/app.ts', 'main side\n');
    repo.git('commit', '-q', '-am', 'main');
    const attempts: Array<[string, string[], string[]]> = [
      ['rebase', ['rebase', 'other'], ['rebase', '--abort']],
      ['merge', ['merge', 'other'], ['merge', '--abort']],
      ['cherry-pick', ['cherry-pick', 'other'], ['cherry-pick', '--abort']],
      ['bisect', ['bisect', 'start'], ['bisect', 'reset']],
    ];
    for (const [operation, start, abort] of attempts) {
      try {
        repo.git(...start);
      } catch {
        // The conflict is the point: git stops halfway.
      }
      const before = repo.state();
      await expect(store(repo).rollback({ target: name })).rejects.toThrow(new RegExp(`a ${operation} is in progress`));
      expect(repo.state()).toEqual(before);
      repo.git(...abort);
    }
  });

  it('handles a file becoming a folder and a folder becoming a file', async () => {
    const repo = fixture();
    repo.write('thing', 'a file\n');
    repo.write('place/inner.txt', 'in a folder\n');
    const { name } = await store(repo).create();
    const saved = repo.state();
    repo.remove('thing');
    repo.write('thing/child.txt', 'now a folder\n');
    repo.remove('place');
    repo.write('place', 'now a file\n');
    const changed = repo.state();

    await store(repo).rollback({ target: name });
    expect(withoutEmptyDirs(repo.state())).toEqual(withoutEmptyDirs(saved));
    await store(repo).undo();
    expect(withoutEmptyDirs(repo.state())).toEqual(withoutEmptyDirs(changed));
  });

  it('recreates empty folders, which git itself cannot hold', async () => {
    const repo = fixture();
    repo.mkdir('logs');
    repo.mkdir('data/cache/tmp');
    const { name } = await store(repo).create();
    const saved = repo.state();
    repo.remove('logs');
    repo.write('data/cache/tmp/run.txt', 'a file where the folder was empty\n');
    repo.mkdir('scratch/new');
    const later = repo.state();

    await store(repo).rollback({ target: name });
    expect(repo.state()).toEqual(saved);
    await store(repo).undo();
    expect(repo.state()).toEqual(later);
  });

  it('undoing twice is a redo', async () => {
    const { repo, name, saved } = await checkpointed();
    repo.write('src/app.ts', 'later\n');
    const later = repo.state();
    await store(repo).rollback({ target: name });
    await store(repo).undo();
    expect(repo.state()).toEqual(later);
    await store(repo).undo();
    expect(withoutEmptyDirs(repo.state())).toEqual(withoutEmptyDirs(saved));
  });

  it('goes to the newest good checkpoint by default, else the newest', async () => {
    const repo = fixture();
    repo.write('v.txt', '1\n');
    const good = await store(repo).create({ verdict: 'good', now: new Date(2026, 0, 1) });
    repo.write('v.txt', '2\n');
    const newer = await store(repo).create({ now: new Date(2026, 0, 2) });
    repo.write('v.txt', '3\n');

    expect((await store(repo).rollback({ dryRun: true })).preview.target.name).toBe(good.name);
    await store(repo).mark(good.name, 'bad');
    expect((await store(repo).rollback({ dryRun: true })).preview.target.name).toBe(newer.name);
  });

  it('rolls back to a plain commit too (discarding untracked files), and that is undoable', async () => {
    const repo = fixture();
    const committed = repo.state();
    repo.write('src/app.ts', 'uncommitted\n');
    repo.write('scratch.txt', 'untracked\n');
    const dirty = repo.state();

    await store(repo).rollback({ target: 'HEAD' });
    expect(repo.state()).toEqual(committed);
    await store(repo).undo();
    expect(repo.state()).toEqual(dirty);
  });

  it('explains unknown names and an empty history', async () => {
    const repo = fixture();
    await expect(store(repo).rollback()).rejects.toThrow(/no checkpoints to roll back to/);
    await expect(store(repo).undo()).rejects.toThrow(/no rollback to undo/);
    await expect(store(repo).rollback({ target: 'checkpoint-nope' })).rejects.toThrow(/no checkpoint or commit named 'checkpoint-nope'/);
  });

  it('does nothing (and saves no handle) when the work tree already matches', async () => {
    const { repo, name } = await checkpointed();
    const result = await store(repo).rollback({ target: name });
    expect(result.applied).toBe(false);
    expect(result.preview.changes).toEqual([]);
    expect(repo.refs('refs/choiros')).toBe('');
  });

  it('keeps undo history per work tree', async () => {
    const { repo, name } = await checkpointed();
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'take the checkpointed state');
    const linked = `${repo.root}-linked`;
    repo.git('worktree', 'add', '-q', linked);
    try {
      repo.write('src/app.ts', 'main work tree edit\n');
      await store(repo).rollback({ target: name });
      await expect(store(linked).undo()).rejects.toThrow(/no rollback to undo/);
      await store(repo).undo();
      expect(repo.read('src/app.ts')).toBe('main work tree edit\n');
    } finally {
      repo.git('worktree', 'remove', '--force', linked);
    }
  });

  it('works on an unborn branch', async () => {
    const repo = fixture({ commit: false });
    repo.write('a.txt', 'first\n');
    const { name } = await store(repo).create();
    const saved = repo.state();
    repo.write('a.txt', 'second\n');
    repo.write('b.txt', 'more\n');
    const later = repo.state();

    await store(repo).rollback({ target: name });
    expect(repo.state()).toEqual(saved);
    await store(repo).undo();
    expect(repo.state()).toEqual(later);
  });

  it('reports a submodule whose recorded commit differs and leaves its files alone', async () => {
    const repo = fixture();
    const library = fixture();
    repo.gitWith({}, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', library.root, 'vendor/lib');
    repo.git('commit', '-q', '-m', 'add submodule');
    const { name } = await store(repo).create();
    library.write('CHANGELOG.md', 'v2\n');
    library.git('add', '-A');
    library.git('commit', '-q', '-m', 'v2');
    repo.gitWith({ cwd: repo.path('vendor/lib') }, 'pull', '-q', 'origin', 'main');
    const inside = repo.read('vendor/lib/CHANGELOG.md');

    const result = await store(repo).rollback({ target: name });

    expect(result.preview.submodules.map((c) => c.path)).toEqual(['vendor/lib']);
    expect(repo.read('vendor/lib/CHANGELOG.md')).toBe(inside);
  });
});
