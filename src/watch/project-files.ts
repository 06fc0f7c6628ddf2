import type { Stats } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { IgnoredPaths } from '../git/ignored.js';
import { ChangeBatch } from './change-batch.js';

export interface ProjectFilesOptions {
  root: string;
  /** Folder names or root-relative path prefixes never watched. */
  ignore: readonly string[];
  /** Changed root-relative paths worth a run, in order; a folder ends in `/`. */
  changed(paths: string[]): void;
  error(error: unknown): void;
  /** setTimeout. Returns a cancel function. */
  schedule(callback: () => void, ms: number): () => void;
  /** Events gathered this long go through git's ignore rules together. */
  batchMs: number;
  env?: NodeJS.ProcessEnv;
}

/** True when a root-relative path lies under an ignored name or prefix. */
export function isIgnored(rel: string, ignore: readonly string[]): boolean {
  if (rel === '' || rel.startsWith('..')) return false;
  const segments = rel.split(sep);
  return ignore.some((entry) => segments.includes(entry) || rel === entry || rel.startsWith(`${entry}${sep}`));
}

/** True when a root-relative path is one of the folders or lies inside one. */
export function isInside(rel: string, folders: ReadonlySet<string>): boolean {
  if (folders.size === 0 || rel === '' || rel.startsWith('..')) return false;
  for (let end = rel.indexOf(sep); end !== -1; end = rel.indexOf(sep, end + 1)) {
    if (folders.has(rel.slice(0, end))) return true;
  }
  return folders.has(rel);
}

/**
 * The project's files as chokidar sees them, minus what never counts. Git-ignored folders (a
 * `.venv/`, `target/` or `tmp/` in .gitignore) are never descended into, so a big one costs no
 * inotify watches (fs.inotify.max_user_watches is easily exhausted) and no start-up scan; the
 * list is read once at start and again when a .gitignore changes or a new ignored folder appears.
 * Git-ignored files inside watched folders are filtered per burst of events (ChangeBatch).
 */
export class ProjectFiles {
  private folders = new Set<string>();
  /** Absolute paths that were watched until their folder became ignored: watched again if it stops being. */
  private readonly hidden = new Set<string>();
  private refreshing: Promise<void> = Promise.resolve();
  private readonly batch: ChangeBatch;
  private readonly watcher: FSWatcher;
  /** Settles once the first scan is done and every folder has its watch. */
  readonly ready: Promise<void>;

  private constructor(
    private readonly options: ProjectFilesOptions,
    private readonly git: IgnoredPaths,
    folders: readonly string[],
  ) {
    this.folders = new Set(folders);
    this.batch = new ChangeBatch({ keep: (paths) => this.keep(paths), deliver: options.changed, schedule: options.schedule }, options.batchMs);
    this.watcher = watch(options.root, { ignoreInitial: true, ignored: (path: string, stats?: Stats) => this.skips(path, stats) });
    this.ready = new Promise((resolve) => this.watcher.once('ready', () => resolve()));
    this.watcher.on('all', (event, path) => {
      const rel = relative(options.root, path);
      // A folder is asked about as `dir/`, so that `build/` patterns match one already deleted.
      if (rel !== '') this.batch.add(event === 'addDir' || event === 'unlinkDir' ? `${rel}/` : rel);
    });
    this.watcher.on('error', options.error);
  }

  static async start(options: ProjectFilesOptions): Promise<ProjectFiles> {
    const git = await IgnoredPaths.at(options.root, options.env);
    return new ProjectFiles(options, git, await git.folders());
  }

  /** What chokidar watches: absolute folder → the names in it it watches. */
  watched(): Record<string, string[]> {
    return this.watcher.getWatched();
  }

  /** The git-ignored folders (root-relative) never watched. */
  ignoredFolders(): string[] {
    return [...this.folders].sort();
  }

  async close(): Promise<void> {
    await this.watcher.close();
    await this.batch.close();
    await this.refreshing;
  }

  private skips(path: string, stats?: Stats): boolean {
    const rel = relative(this.options.root, path);
    if (isIgnored(rel, this.options.ignore)) return true;
    // A file now where an ignored folder was is not inside it.
    if (stats !== undefined && !stats.isDirectory() && this.folders.has(rel)) return false;
    return isInside(rel, this.folders);
  }

  private async keep(paths: string[]): Promise<string[]> {
    const skip = await this.git.of(paths);
    const rules = paths.some((p) => basename(p) === '.gitignore');
    // chokidar has already looked inside a new ignored folder: stop watching it.
    const newFolder = paths.some((p) => p.endsWith('/') && skip.has(p) && !isInside(p.slice(0, -1), this.folders));
    if (rules || newFolder) await this.refresh();
    return paths.filter((p) => !skip.has(p));
  }

  /** Reads git's ignored folders again; stops watching inside new ones and watches again in old ones. */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing.then(async () => {
      const before = this.folders;
      this.folders = await this.ignoredFoldersNow(before);
      const stale = this.watchedPaths().filter((path) => this.skips(path));
      for (const path of stale) this.hidden.add(path);
      if (stale.length > 0) this.watcher.unwatch(stale);
      const back = new Set([...before].filter((rel) => !this.folders.has(rel)).map((rel) => join(this.options.root, rel)));
      for (const path of this.hidden) if (!this.skips(path)) back.add(path);
      const again = [...back].filter((path) => !this.skips(path));
      for (const path of again) this.hidden.delete(path);
      if (again.length > 0) this.watcher.add(again);
    }).catch(this.options.error);
    return this.refreshing;
  }

  /**
   * Git lists only folders that exist; one deleted since (a test run's `tmp/`) stays in the set
   * while a pattern still names it, so that its return is not watched, noticed and unwatched.
   */
  private async ignoredFoldersNow(before: ReadonlySet<string>): Promise<Set<string>> {
    const folders = new Set(await this.git.folders());
    const gone = [...before].filter((rel) => !folders.has(rel)).map((rel) => `${rel}/`);
    for (const rel of await this.git.of(gone)) folders.add(rel.slice(0, -1));
    return folders;
  }

  private watchedPaths(): string[] {
    return Object.entries(this.watcher.getWatched()).flatMap(([dir, names]) => [dir, ...names.map((name) => join(dir, name))]);
  }
}
