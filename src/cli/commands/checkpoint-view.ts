import type { ResolvedConfig } from '../../config/load.js';
import type { Change } from '../../git/diff.js';
import { describeSkipped, settingsFromConfig, type CheckpointSettings, type SnapshotPolicy, type Skipped } from '../../git/policy.js';
import type { RollbackPreview } from '../../git/rollback.js';
import type { Output } from '../output.js';
import { displayPath } from '../../util/path-list.js';
import { printWrapped, wrap } from '../../util/wrap.js';

export { displayPath, pathList } from '../../util/path-list.js';

/** Shared wording for `checkpoint`, `checkpoints` and `rollback`. */

export function settingsOf(config: Pick<ResolvedConfig, 'checkpoints'>): CheckpointSettings {
  return settingsFromConfig(config.checkpoints);
}

/** `just now`, `5m ago`, `2h ago`, `3d ago`. */
export function age(date: Date, now: Date = new Date()): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - date.getTime()) / 1000));
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}

export function skippedLines(skipped: readonly Skipped[], policy: SnapshotPolicy, limit = 20): string[] {
  const shown = skipped.slice(0, limit).map((s) => `  ${displayPath(s.path)}  (${describeSkipped(s, policy)})`);
  return skipped.length > limit ? [...shown, `  … and ${skipped.length - limit} more`] : shown;
}

export function skippedJson(skipped: readonly Skipped[]): Array<{ path: string; reason: string; bytes?: number }> {
  return skipped.map((s) => ({ path: s.path, reason: s.reason, ...(s.bytes === undefined ? {} : { bytes: s.bytes }) }));
}

const VERB: Record<Change['kind'], string> = { modify: 'modify', create: 'create', delete: 'delete' };

/**
 * Empty folders the rollback creates or removes (a tree cannot hold them, so they are not among
 * the changes): the target's that are missing now, and today's that the target lacks.
 */
export function folderChanges(preview: Pick<RollbackPreview, 'emptyDirs'>): { create: string[]; delete: string[] } {
  const { current, target } = preview.emptyDirs;
  const now = new Set(current);
  const then = new Set(target);
  return { create: target.filter((dir) => !now.has(dir)), delete: current.filter((dir) => !then.has(dir)) };
}

export function previewJson(preview: RollbackPreview) {
  const paths = (kind: Change['kind']) => preview.changes.filter((c) => c.kind === kind).map((c) => c.path);
  return {
    target: preview.target.name,
    kind: preview.target.kind,
    commit: preview.target.commit,
    changes: { modify: paths('modify'), create: paths('create'), delete: paths('delete') },
    emptyFolders: folderChanges(preview),
    skipped: preview.skipped.map((s) => s.path),
    submodules: preview.submodules.map((c) => c.path),
    blocked: preview.blocked,
    headMoved: preview.headMoved,
  };
}

/** The preview a person reads before confirming: what changes, what is deleted, what stays. */
export function printPreview(preview: RollbackPreview, policy: SnapshotPolicy, out: Output, limit = 30): void {
  const { style } = out;
  const cp = preview.target.checkpoint;
  const about = cp === undefined ? '' : ` — ${JSON.stringify(cp.message)} (${cp.verdict}, ${age(cp.date)})`;
  const [first = '', ...rest] = wrap(`Roll back to ${preview.target.name}${about}`, out.wrapAt, { hanging: '  ' });
  out.line(first.replace(preview.target.name, style.bold(preview.target.name)));
  for (const line of rest) out.line(line);
  const count = (kind: Change['kind']) => preview.changes.filter((c) => c.kind === kind).length;
  const folders = folderChanges(preview);
  const files = (n: number) => (n === 1 ? '1 file' : `${n} files`);
  const emptyFolders = (n: number) => (n === 1 ? '1 empty folder' : `${n} empty folders`);
  const counts = [
    [count('modify'), `${files(count('modify'))} to rewrite`],
    [count('create'), `${files(count('create'))} to create`],
    [count('delete'), `${files(count('delete'))} to delete`],
    [folders.create.length, `${emptyFolders(folders.create.length)} to create`],
    [folders.delete.length, `${emptyFolders(folders.delete.length)} to remove`],
  ] as const;
  out.line(`  ${counts.filter(([n]) => n > 0).map(([, text]) => text).join(', ')}`);
  const colour = { modify: style.yellow, create: style.green, delete: style.red };
  const lines = [
    ...preview.changes.map((change) => `  ${colour[change.kind](VERB[change.kind].padEnd(6))}  ${displayPath(change.path)}`),
    ...folders.create.map((dir) => `  ${style.green('create')}  ${displayPath(dir)}/  (empty folder)`),
    ...folders.delete.map((dir) => `  ${style.red('remove')}  ${displayPath(dir)}/  (empty folder)`),
  ];
  for (const line of lines.slice(0, limit)) out.line(line);
  if (lines.length > limit) out.line(style.dim(`  … and ${lines.length - limit} more (--json lists every path)`));
  if (preview.blocked.length > 0) {
    printWrapped(out.line, 'Blocked: the target needs these paths, which hold files no snapshot has (ignored, skipped or new) — the rollback will refuse until they are moved away:', out.wrapAt, { hanging: '  ', style: style.red });
    for (const path of preview.blocked.slice(0, 10)) out.line(`  ${displayPath(path)}`);
    if (preview.blocked.length > 10) out.line(style.dim(`  … and ${preview.blocked.length - 10} more`));
  }
  if (preview.skipped.length > 0) {
    out.line('Never touched (not in any snapshot):');
    for (const line of skippedLines(preview.skipped, policy, 10)) out.line(line);
  }
  for (const sub of preview.submodules) printWrapped(out.line, `Submodule ${displayPath(sub.path)} differs: its files are not moved (check it out yourself).`, out.wrapAt, { hanging: '  ', style: style.yellow });
  if (preview.headMoved) printWrapped(out.line, 'HEAD has moved since this checkpoint: files are restored, your branch and index stay as they are.', out.wrapAt, { hanging: '  ', style: style.dim });
}
