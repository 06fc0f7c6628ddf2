/**
 * What a snapshot leaves out. Only *untracked* files are ever left out: a tracked file is part
 * of the project wherever it lives (a committed `dist/` included), so its changes are always
 * captured — otherwise a rollback could overwrite an edit that no snapshot holds.
 */
export interface SnapshotPolicy {
  /** Untracked files larger than this many bytes are skipped (`checkpoints.max_file_size`). */
  maxFileSize: number;
  /**
   * Extra folders to skip (`checkpoints.exclude`): a bare name (`tmp`) matches a folder of that
   * name at any depth; a path with a slash (`data/raw`) matches from the top of the work tree.
   */
  exclude: readonly string[];
}

/**
 * Folders that are rebuilt rather than written, often huge: dependencies, build output, virtual
 * environments and tool caches — plus `.choiros`, our own state, which a rollback must never
 * rewind (the ledger would forget the run that asked for the rollback).
 */
export const HEAVY_FOLDERS: readonly string[] = [
  'node_modules',
  'dist',
  'build',
  '.venv',
  'venv',
  '__pycache__',
  '.cache',
  '.pytest_cache',
  '.mypy_cache',
  '.ruff_cache',
  '.tox',
  '.gradle',
  '.next',
  '.nuxt',
  '.turbo',
  '.parcel-cache',
  '.choiros',
];

export const DEFAULT_POLICY: SnapshotPolicy = { maxFileSize: 10 * 1024 * 1024, exclude: [] };

export interface CheckpointSettings {
  policy: SnapshotPolicy;
  /** How many checkpoints retention keeps (`checkpoints.keep`). */
  keep: number;
}

export const DEFAULT_SETTINGS: CheckpointSettings = { policy: DEFAULT_POLICY, keep: 50 };

/** The `checkpoints:` section of choiros.yaml as settings. */
export function settingsFromConfig(section: { keep: number; max_file_size: number; exclude: readonly string[] }): CheckpointSettings {
  return { keep: section.keep, policy: { maxFileSize: section.max_file_size, exclude: section.exclude } };
}

export type SkipReason = 'excluded' | 'too-big' | 'embedded-repository';

/** Something a snapshot left out; rollbacks never touch it. */
export interface Skipped {
  /** Relative to the work tree; folders end with `/`. */
  path: string;
  reason: SkipReason;
  /** The file size, for `too-big`. */
  bytes?: number;
}

function trimSlashes(text: string): string {
  return text.replace(/^\.?\/+/, '').replace(/\/+$/, '');
}

/**
 * A matcher for excluded folders: returns the excluded folder containing `path`, if any. It runs
 * once per untracked path and kept untracked file of every snapshot, so the names are one
 * regular expression (the leftmost match is the shallowest folder) rather than a split and a
 * lookup per part of every path.
 */
export function folderMatcher(policy: Pick<SnapshotPolicy, 'exclude'>): (path: string) => string | undefined {
  const names = new Set(HEAVY_FOLDERS);
  const prefixes: string[] = [];
  for (const raw of policy.exclude) {
    const entry = trimSlashes(raw);
    if (entry === '') continue;
    if (entry.includes('/')) prefixes.push(`${entry}/`);
    else names.add(entry);
  }
  // A folder is a part followed by `/`: the last part is the file itself (a file named `build`
  // is kept), or '' after a folder's `/`.
  const folder = new RegExp(`(?:^|/)(?:${[...names].map(escapeRegExp).join('|')})/`);
  return (path) => {
    for (const prefix of prefixes) if (path.startsWith(prefix)) return prefix.slice(0, -1);
    const match = folder.exec(path);
    return match === null ? undefined : path.slice(0, match.index + match[0].length - 1);
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function describeSkipped(item: Skipped, policy: Pick<SnapshotPolicy, 'maxFileSize'>): string {
  switch (item.reason) {
    case 'excluded':
      return 'excluded folder';
    case 'too-big':
      return `${formatBytes(item.bytes ?? 0)} > ${formatBytes(policy.maxFileSize)}`;
    case 'embedded-repository':
      return 'a git repository of its own';
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
