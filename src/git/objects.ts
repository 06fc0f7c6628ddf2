import { gitDate } from './names.js';
import type { Repo } from './repo.js';

/**
 * A commit holding `tree`, child of HEAD (no parent on an unborn branch). Plumbing on purpose:
 * no hooks, no signing prompt, and no branch moves.
 */
export async function commitTree(repo: Repo, tree: string, message: string, date: Date): Promise<string> {
  const parents = repo.head === undefined ? [] : ['-p', repo.head];
  const when = gitDate(date);
  const stdout = await repo.git.run(['commit-tree', tree, ...parents], 'writing the snapshot commit', {
    input: message,
    env: { GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when },
  });
  return stdout.trim();
}

/** The raw text of an annotated tag object; `mktag` checks it before writing. */
export function tagObjectText(fields: { object: string; name: string; tagger: string; message: string }): string {
  return `object ${fields.object}\ntype commit\ntag ${fields.name}\ntagger ${fields.tagger}\n\n${fields.message}`;
}

export async function makeTag(repo: Repo, text: string): Promise<string> {
  return (await repo.git.run(['mktag'], 'writing the checkpoint tag', { input: text })).trim();
}

/** An annotated tag's header fields and message, as stored. */
export interface TagObject {
  object: string;
  name: string;
  tagger: string;
  message: string;
}

export function parseTagObject(text: string): TagObject | undefined {
  const split = text.indexOf('\n\n');
  const header = split < 0 ? text : text.slice(0, split);
  const message = split < 0 ? '' : text.slice(split + 2);
  const fields = new Map<string, string>();
  for (const line of header.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) fields.set(line.slice(0, space), line.slice(space + 1));
  }
  const object = fields.get('object');
  const name = fields.get('tag');
  const tagger = fields.get('tagger');
  if (object === undefined || name === undefined || tagger === undefined || fields.get('type') !== 'commit') return undefined;
  return { object, name, tagger, message };
}

export async function readTag(repo: Repo, tagObject: string): Promise<TagObject | undefined> {
  return parseTagObject(await repo.git.run(['cat-file', 'tag', tagObject], 'reading the checkpoint tag'));
}
