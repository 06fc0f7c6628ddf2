import { lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { joinNul, splitNul } from './git.js';
import { parsePathLines, pathLines } from './empty-dirs.js';
import type { Repo } from './repo.js';

/**
 * Line-ending conversion (`core.autocrlf`, `text eol=…` in .gitattributes) is not always
 * reversible: with `autocrlf=input` a file saved with CRLF is stored with LF, and with
 * `eol=crlf` a file saved with LF comes back with CRLF. git warns when it stores such a file
 * ("CRLF will be replaced by LF the next time Git touches it"). A snapshot must give back the
 * bytes that were on disk, so those files are stored as they are (`hash-object --no-filters`),
 * listed in the commit message (`Choiros-Raw: "path"`), and written back byte for byte after a
 * rollback moves the work tree — the move itself converts them again.
 */

const PREFIX = 'Choiros-Raw: ';

export function rawLines(paths: readonly string[]): string[] {
  return pathLines(PREFIX, paths);
}

export function parseRawPaths(message: string): string[] {
  return parsePathLines(PREFIX, message);
}

const WARNINGS = [
  // git 2.37 and later.
  /^warning: in the working copy of '(.*)', (?:CRLF will be replaced by LF|LF will be replaced by CRLF) the next time Git touches it$/,
  // git 2.31 to 2.36 (followed by a line about the working directory).
  /^warning: (?:CRLF will be replaced by LF|LF will be replaced by CRLF) in (.*)\.$/,
];

/** The paths git warned it converts in a way a checkout does not undo. */
export function lossyConversions(stderr: string): string[] {
  const paths: string[] = [];
  for (const line of stderr.split('\n')) {
    for (const pattern of WARNINGS) {
      const path = pattern.exec(line)?.[1];
      if (path !== undefined) paths.push(path);
    }
  }
  return paths;
}

/**
 * The tree of `index` with `paths` stored as the bytes on disk: a copy of the index gets their
 * unconverted blobs, and that copy's tree is the snapshot. The index itself keeps git's own
 * entries (with their fresh stats, which a rollback's `read-tree` checks files against).
 */
export async function rawTree(repo: Repo, indexPath: string, paths: readonly string[]): Promise<string> {
  const oids = await inChunks(paths, async (chunk) => splitLines(await repo.git.run(['hash-object', '-w', '--no-filters', '--', ...chunk], 'storing files as they are')));
  const listed = await inChunks(paths, async (chunk) =>
    splitNul(await repo.git.run(['ls-files', '-s', '-z', '--', ...chunk], 'reading index modes', { index: indexPath, env: { GIT_LITERAL_PATHSPECS: '1' } })),
  );
  const mode = new Map(listed.map((record) => [record.slice(record.indexOf('\t') + 1), record.split(' ')[0] ?? '100644']));
  const records = paths.map((path, i) => `${mode.get(path) ?? '100644'} ${oids[i] ?? ''}\t${path}`);
  const copy = `${indexPath}.raw`;
  writeFileSync(copy, readFileSync(indexPath));
  await repo.git.run(['update-index', '-z', '--index-info'], 'storing files as they are', { index: copy, input: joinNul(records) });
  return (await repo.git.run(['write-tree'], 'writing the snapshot tree', { index: copy })).trim();
}

/** `fn` over slices of `paths`, results in order: a project saved with CRLF throughout can name more files than one command line holds. */
async function inChunks<T>(paths: readonly string[], fn: (chunk: readonly string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < paths.length; i += 500) out.push(...(await fn(paths.slice(i, i + 500))));
  return out;
}

function splitLines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

/** The blobs (files and symlinks) of `tree` at `paths`: mode, object id and path of each there. */
export async function treeBlobs(repo: Repo, tree: string, paths: readonly string[]): Promise<Array<{ mode: string; oid: string; path: string }>> {
  const listed = await inChunks(paths, async (chunk) => splitNul(await repo.git.run(['ls-tree', '-z', tree, '--', ...chunk], 'reading the snapshot', { env: { GIT_LITERAL_PATHSPECS: '1' } })));
  return listed.flatMap((record) => {
    const tab = record.indexOf('\t');
    const [mode = '', type = '', oid = ''] = record.slice(0, tab).split(' ');
    return type === 'blob' ? [{ mode, oid, path: record.slice(tab + 1) }] : [];
  });
}

/**
 * Writes the target's raw files back byte for byte where the move left other bytes (it applied
 * the line-ending conversion again). Only regular files are written, in place (their mode stays).
 */
export async function restoreRawFiles(repo: Repo, tree: string, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  const files = (await treeBlobs(repo, tree, paths)).map(({ mode, oid, path }) => ({ mode, oid, file: join(repo.root, path) })).filter(({ mode, file }) => mode.startsWith('100') && isFile(file));
  const contents = await repo.git.blobs(files.map((f) => f.oid));
  files.forEach(({ file }, i) => {
    const bytes = contents[i] ?? Buffer.alloc(0);
    if (!readFileSync(file).equals(bytes)) writeFileSync(file, bytes);
  });
}

function isFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}
