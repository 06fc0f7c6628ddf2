import { chmodSync, existsSync, lstatSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Checkpoints } from '../../src/git/index.js';
import { TempRepo } from './git-fixture.js';

/** Names that exercise quoting and D/F conflicts: `p` is a file in one state, a folder in another. */
const FILES = ['a.txt', 'with space.md', 'ünïcödé/ç.txt', 'deep/er/c.bin', 'p', 'p/q.txt', 'new\nline.txt', 'src/app.ts', 'run.sh'];
const DIRS = ['empty', 'deep/er/empty', 'p', 'ünïcödé'];
const LINK_TARGETS = ['a.txt', 'deep', 'missing-target', '../outside'];
/** Ignored (by the fixture's .gitignore) or in a heavy folder: no rollback may ever touch them. */
const UNTOUCHABLE = ['ignored/keep.txt', 'debug.log', 'node_modules/dep/index.js'];
const isUntouchable = (path: string) => path === 'ignored' || path.startsWith('ignored/') || path.endsWith('.log') || path.startsWith('node_modules');

type Op =
  | { op: 'write'; path: string; content: string }
  | { op: 'binary'; path: string; bytes: Uint8Array }
  | { op: 'delete'; path: string }
  | { op: 'rename'; from: string; to: string }
  | { op: 'stage'; path: string; content: string }
  | { op: 'mkdir'; path: string }
  | { op: 'chmod'; path: string; executable: boolean }
  | { op: 'symlink'; path: string; target: string }
  | { op: 'untouchable'; path: string; content: string | undefined };

const file = fc.constantFrom(...FILES);
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('write' as const), path: file, content: fc.string({ maxLength: 40 }) }),
  fc.record({ op: fc.constant('binary' as const), path: file, bytes: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({ op: fc.constant('delete' as const), path: fc.constantFrom(...FILES, ...DIRS) }),
  fc.record({ op: fc.constant('rename' as const), from: file, to: file }),
  fc.record({ op: fc.constant('stage' as const), path: file, content: fc.string({ maxLength: 20 }) }),
  fc.record({ op: fc.constant('mkdir' as const), path: fc.constantFrom(...DIRS) }),
  fc.record({ op: fc.constant('chmod' as const), path: file, executable: fc.boolean() }),
  fc.record({ op: fc.constant('symlink' as const), path: file, target: fc.constantFrom(...LINK_TARGETS) }),
  fc.record({ op: fc.constant('untouchable' as const), path: fc.constantFrom(...UNTOUCHABLE), content: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }) }),
);
const opsArbitrary = fc.array(opArbitrary, { minLength: 1, maxLength: 8 });

/** True when something is at `path` (ENOENT and ENOTDIR — a file where a folder would be — mean no). */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function removeAt(repo: TempRepo, relative: string): void {
  if (exists(repo.path(relative))) rmSync(repo.path(relative), { recursive: true, force: true });
}

/** Makes room for a new entry at `relative`: whatever stands at it or at a parent goes. */
function clear(repo: TempRepo, relative: string): void {
  const parts = relative.split('/');
  for (let i = 1; i < parts.length; i++) {
    const parent = repo.path(parts.slice(0, i).join('/'));
    if (exists(parent) && !lstatSync(parent).isDirectory()) rmSync(parent);
  }
  removeAt(repo, relative);
  mkdirSync(dirname(repo.path(relative)), { recursive: true });
}

function isFile(repo: TempRepo, relative: string): boolean {
  return exists(repo.path(relative)) && lstatSync(repo.path(relative)).isFile();
}

function apply(repo: TempRepo, op: Op): void {
  switch (op.op) {
    case 'write':
    case 'stage':
      clear(repo, op.path);
      writeFileSync(repo.path(op.path), op.content);
      if (op.op === 'stage') {
        repo.git('add', '--', op.path);
        writeFileSync(repo.path(op.path), `${op.content} (edited after staging)`);
      }
      return;
    case 'binary':
      clear(repo, op.path);
      writeFileSync(repo.path(op.path), op.bytes);
      return;
    case 'delete':
      removeAt(repo, op.path);
      return;
    case 'rename':
      if (op.from === op.to || !isFile(repo, op.from) || op.to.startsWith(`${op.from}/`) || op.from.startsWith(`${op.to}/`)) return;
      clear(repo, op.to);
      writeFileSync(repo.path(op.to), repo.read(op.from));
      rmSync(repo.path(op.from));
      return;
    case 'mkdir':
      if (exists(repo.path(op.path)) && lstatSync(repo.path(op.path)).isDirectory()) return;
      clear(repo, op.path);
      mkdirSync(repo.path(op.path));
      return;
    case 'chmod':
      if (isFile(repo, op.path)) chmodSync(repo.path(op.path), op.executable ? 0o755 : 0o644);
      return;
    case 'symlink':
      clear(repo, op.path);
      symlinkSync(op.target, join(repo.path(op.path)));
      return;
    case 'untouchable':
      if (op.content === undefined) removeAt(repo, op.path);
      else repo.write(op.path, op.content);
      return;
  }
}

/** The state a rollback must produce: the checkpoint's, except what it must never touch. */
function expectedAfterRollback(saved: Map<string, string>, edited: Map<string, string>): Map<string, string> {
  const expected = new Map([...saved].filter(([path]) => !isUntouchable(path)));
  for (const [path, value] of edited) if (isUntouchable(path)) expected.set(path, value);
  return expected;
}

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.cleanup();
});

describe('checkpoint → more edits → rollback → undo (property)', () => {
  it('restores the checkpoint exactly, undo restores the state before exactly, and the index is never written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), opsArbitrary, opsArbitrary, async (unborn, before, after) => {
        const repo = TempRepo.create({ commit: !unborn });
        repos.push(repo);
        if (unborn) repo.write('.gitignore', 'ignored/\n*.log\n');
        for (const op of before) apply(repo, op);
        const store = new Checkpoints(repo.root);
        const indexBefore = existsSync(repo.path('.git/index')) ? repo.index() : undefined;

        const checkpoint = await store.create();

        expect(existsSync(repo.path('.git/index')) ? repo.index() : undefined).toEqual(indexBefore);
        const saved = repo.state();
        for (const op of after) apply(repo, op);
        const edited = repo.state();

        const result = await store.rollback({ target: checkpoint.name });
        expect(repo.state()).toEqual(expectedAfterRollback(saved, edited));
        // Edits that cancel out (or touch only ignored files) leave nothing to roll back or undo.
        expect(result.applied).toBe(!result.preview.upToDate);
        if (result.applied) await store.undo();
        expect(repo.state()).toEqual(edited);
      }),
      { numRuns: 30, seed: 20260130, endOnFailure: true },
    );
  }, 240_000);
});
