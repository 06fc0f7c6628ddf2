import { Git, joinNul, splitNul } from './git.js';

/**
 * Asks git which of many paths it ignores, one `git check-ignore` for the whole list. Without
 * `--no-index` on purpose: a tracked file is never ignored, even when it matches a pattern (a
 * committed `fixtures/app.log` under `*.log` is still source).
 */
export class IgnoredPaths {
  private constructor(private readonly git: Git | undefined) {}

  /** For a folder inside a git work tree; elsewhere nothing is reported ignored (and git never runs). */
  static async at(root: string, env: NodeJS.ProcessEnv = process.env): Promise<IgnoredPaths> {
    const git = new Git(root, env);
    const inside = await git.exec(['rev-parse', '--is-inside-work-tree']);
    return new IgnoredPaths(inside.exitCode === 0 && inside.stdout.trim() === 'true' ? git : undefined);
  }

  get active(): boolean {
    return this.git !== undefined;
  }

  /**
   * The paths (relative to the root) that git ignores. When git cannot answer (a path inside a
   * submodule makes it fail), nothing is reported ignored: a change too many beats one missed.
   */
  async of(paths: readonly string[]): Promise<Set<string>> {
    if (this.git === undefined || paths.length === 0) return new Set();
    const result = await this.git.exec(['check-ignore', '-z', '--stdin'], { input: joinNul(paths) });
    // 0: some are ignored, 1: none is.
    if (result.exitCode !== 0) return new Set();
    return new Set(splitNul(result.stdout));
  }

  /**
   * The folders (relative to the root, no trailing slash) that git ignores as a whole: a pattern
   * names the folder itself and nothing inside is tracked, so no file in it can ever count.
   * `ls-files --directory` alone says too much: it also lists a folder whose files merely all
   * match patterns (`logs/` under `*.log`, where a new `logs/readme` would count) and `./` when the
   * root is a subfolder of the work tree; `check-ignore` on `dir/` keeps only the folders a pattern
   * names. Any failure answers "none": watching too much beats missing a change.
   */
  async folders(): Promise<string[]> {
    if (this.git === undefined) return [];
    const listed = await this.git.exec(['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory']);
    if (listed.exitCode !== 0) return [];
    const candidates = splitNul(listed.stdout).filter((path) => path.endsWith('/') && path !== './');
    const ignored = await this.of(candidates);
    return candidates.filter((path) => ignored.has(path)).map((path) => path.slice(0, -1));
  }
}
