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
}
