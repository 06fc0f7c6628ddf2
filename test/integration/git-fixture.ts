import { afterEach } from 'vitest';
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A git identity for the fixture's own commits (choiros' snapshots carry their own). */
const IDENTITY = ['-c', 'user.name=Fixture', '-c', 'user.email=fixture@example.com', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main'];

/**
 * A real git repository in a temp folder, with helpers to make it dirty and to capture the
 * work tree exactly (content, executable bit, symlink target, empty folders).
 */
export class TempRepo {
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  /** `under`: the folder to make it in (default the system's temp folder). */
  static create(options: { commit?: boolean; under?: string } = {}): TempRepo {
    const repo = new TempRepo(mkdtempSync(join(options.under ?? tmpdir(), 'choiros-git-')));
    repo.git('init', '-q');
    if (options.commit !== false) {
      repo.write('README.md', '# fixture\n');
      repo.write('src/app.ts', 'export const answer = 42;\n');
      repo.write('.gitignore', 'ignored/\n*.log\n');
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', 'initial');
    }
    return repo;
  }

  git(...args: string[]): string {
    return this.gitWith({}, ...args);
  }

  gitWith(options: ExecFileSyncOptions, ...args: string[]): string {
    return execFileSync('git', [...IDENTITY, ...args], { cwd: this.root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options }) as string;
  }

  path(relative: string): string {
    return join(this.root, relative);
  }

  write(relative: string, content: string | Buffer, mode?: number): void {
    const path = this.path(relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    if (mode !== undefined) chmodSync(path, mode);
  }

  read(relative: string): string {
    return readFileSync(this.path(relative), 'utf8');
  }

  symlink(relative: string, target: string): void {
    mkdirSync(dirname(this.path(relative)), { recursive: true });
    symlinkSync(target, this.path(relative));
  }

  remove(relative: string): void {
    rmSync(this.path(relative), { recursive: true, force: true });
  }

  mkdir(relative: string): void {
    mkdirSync(this.path(relative), { recursive: true });
  }

  /** The bytes of `.git/index`, to prove choiros never wrote it. */
  index(): Buffer {
    return readFileSync(this.path('.git/index'));
  }

  /** Every ref and what it points to. */
  refs(pattern = ''): string {
    return this.git('for-each-ref', '--format=%(refname) %(objectname)', ...(pattern === '' ? [] : [pattern]));
  }

  /**
   * The whole work tree (outside `.git`) as path → description: file content hash and executable
   * bit, symlink target, or an empty folder.
   */
  state(): Map<string, string> {
    const out = new Map<string, string>();
    const walk = (relative: string) => {
      const entries = readdirSync(join(this.root, relative), { withFileTypes: true });
      if (entries.length === 0 && relative !== '') out.set(relative, 'empty-dir');
      for (const entry of entries) {
        const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
        if (path === '.git') continue;
        const full = join(this.root, path);
        const stat = lstatSync(full);
        if (stat.isSymbolicLink()) out.set(path, `link:${readlinkSync(full)}`);
        else if (stat.isDirectory()) walk(path);
        else out.set(path, `file:${(stat.mode & 0o100) !== 0 ? 'x' : '-'}:${createHash('sha1').update(readFileSync(full)).digest('hex')}`);
      }
    };
    walk('');
    return out;
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** States without empty folders: git does not track folders, only what is in them. */
export function withoutEmptyDirs(state: Map<string, string>): Map<string, string> {
  return new Map([...state].filter(([, value]) => value !== 'empty-dir'));
}

export function sorted(state: Map<string, string>): Array<[string, string]> {
  return [...state].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A test file's fixture factory: every repository it makes is removed after each test. */
export function repoFixture(): (options?: { commit?: boolean }) => TempRepo {
  const repos: TempRepo[] = [];
  afterEach(() => {
    for (const repo of repos.splice(0)) repo.cleanup();
  });
  return (options = {}) => {
    const repo = TempRepo.create(options);
    repos.push(repo);
    return repo;
  };
}
