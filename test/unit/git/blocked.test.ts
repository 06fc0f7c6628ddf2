import { describe, expect, it } from 'vitest';
import { findBlocked, type EntryKind, type TreeProbe } from '../../../src/git/blocked.js';
import type { Change } from '../../../src/git/diff.js';

function disk(entries: Record<string, EntryKind>, files: Record<string, string[]> = {}): TreeProbe {
  return { kind: (path) => entries[path], filesUnder: (folder) => files[folder] ?? [] };
}
const change = (kind: Change['kind'], path: string): Change => ({ kind, path, submodule: false });

describe('paths a rollback must not overwrite', () => {
  it('blocks a create where an unsnapshotted file stands', () => {
    expect(findBlocked([change('create', 'config.local')], disk({ 'config.local': 'file' }))).toEqual(['config.local']);
    expect(findBlocked([change('create', 'config.local')], disk({}))).toEqual([]);
  });

  it('blocks a create under a file or symlink that the rollback does not remove', () => {
    expect(findBlocked([change('create', 'out/x.txt')], disk({ out: 'file' }))).toEqual(['out']);
    expect(findBlocked([change('create', 'out/x.txt'), change('delete', 'out')], disk({ out: 'file' }))).toEqual([]);
  });

  it('lets a folder become a file only when everything in it is being removed', () => {
    const files = { thing: ['thing/a.txt', 'thing/ignored.log'] };
    expect(findBlocked([change('create', 'thing'), change('delete', 'thing/a.txt')], disk({ thing: 'dir' }, files))).toEqual(['thing/ignored.log']);
    expect(findBlocked([change('create', 'thing'), change('delete', 'thing/a.txt')], disk({ thing: 'dir' }, { thing: ['thing/a.txt'] }))).toEqual([]);
  });

  it('blocks writing into an embedded repository', () => {
    expect(findBlocked([change('create', 'nested')], disk({ nested: 'repository' }))).toEqual(['nested']);
  });

  it('ignores modifications and deletions: those paths are in the snapshot', () => {
    expect(findBlocked([change('modify', 'a'), change('delete', 'b')], disk({ a: 'file', b: 'file' }))).toEqual([]);
  });
});
