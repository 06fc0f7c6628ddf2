import { spawn } from 'node:child_process';
import { CancelledError, ExternalError } from '../errors.js';
import { run, type ProcessResult } from '../process/run.js';

export interface GitCallOptions {
  /** Written to git's stdin. */
  input?: string | Buffer;
  /** A private index (GIT_INDEX_FILE): the user's own index is never the one written. */
  index?: string;
  /** Extra environment for this call only. */
  env?: Readonly<Record<string, string>>;
  /**
   * Run git in a process group of its own, out of reach of a Ctrl-C at the terminal (which
   * signals the whole foreground group): for a command that must not stop halfway.
   */
  processGroup?: boolean;
}

/**
 * Snapshot commits and tags are made by the tool, not by the person at the keyboard, and must not
 * fail because `user.name` is unset: they carry a fixed identity.
 */
export const CHOIROS_IDENT = { name: 'choiros', email: 'choiros@localhost' } as const;

/** Variables that would change how git reads our pathspecs (we pass magic like `:(exclude)`). */
const PATHSPEC_VARIABLES = ['GIT_LITERAL_PATHSPECS', 'GIT_GLOB_PATHSPECS', 'GIT_NOGLOB_PATHSPECS', 'GIT_ICASE_PATHSPECS'];

/**
 * Every git call choiros makes goes through here: argv arrays (never a shell), one environment
 * policy, and failures turned into ExternalError naming what we were doing.
 */
export class Git {
  readonly cwd: string;
  private readonly env: NodeJS.ProcessEnv;
  /** Every call runs in a process group of its own (see `ownProcessGroup`). */
  private readonly detached: boolean;

  constructor(cwd: string, env: NodeJS.ProcessEnv = process.env, detached = false) {
    this.cwd = cwd;
    this.detached = detached;
    const clean: NodeJS.ProcessEnv = { ...env };
    for (const name of PATHSPEC_VARIABLES) delete clean[name];
    this.env = {
      ...clean,
      // Plumbing never needs a prompt or a pager, and our few message checks need English.
      GIT_TERMINAL_PROMPT: '0',
      LC_ALL: 'C',
      // Read-only commands must not refresh (and so rewrite) the user's index behind their back.
      GIT_OPTIONAL_LOCKS: '0',
      GIT_AUTHOR_NAME: CHOIROS_IDENT.name,
      GIT_AUTHOR_EMAIL: CHOIROS_IDENT.email,
      GIT_COMMITTER_NAME: CHOIROS_IDENT.name,
      GIT_COMMITTER_EMAIL: CHOIROS_IDENT.email,
    };
  }

  /**
   * The same git with every call (`blobs` included) in a process group of its own: for a phase
   * that must run to its end once started — a rollback from the moment files move — so that a
   * Ctrl-C at the terminal reaches no git command of it, whichever one is running.
   */
  ownProcessGroup(): Git {
    return new Git(this.cwd, this.env, true);
  }

  /** Runs git and returns the raw result; never throws. */
  exec(args: readonly string[], options: GitCallOptions = {}): Promise<ProcessResult> {
    const env = { ...this.env, ...options.env };
    if (options.index !== undefined) env.GIT_INDEX_FILE = options.index;
    const processGroup = this.detached || options.processGroup === true;
    return run('git', args, { cwd: this.cwd, env, processGroup, ...(options.input === undefined ? {} : { input: options.input }) });
  }

  /** Blobs' bytes, exactly (stdout is otherwise read as UTF-8 text), in one `cat-file --batch`. */
  blobs(oids: readonly string[]): Promise<Buffer[]> {
    const command = 'git cat-file --batch';
    return new Promise((resolve, reject) => {
      const child = spawn('git', ['cat-file', '--batch'], { cwd: this.cwd, env: this.env, stdio: ['pipe', 'pipe', 'pipe'], detached: this.detached });
      const stdout: Buffer[] = [];
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.stdin.on('error', () => {
        // git exited before reading every id: its exit code tells the story.
      });
      child.on('error', (error) => reject(new ExternalError('git failed while reading stored files', { command, exitCode: undefined, signal: undefined, stderr: error.message })));
      child.on('close', (code, signal) => {
        if (code !== 0) return reject(new ExternalError('git failed while reading stored files', { command, exitCode: code ?? undefined, signal: signal ?? undefined, stderr }));
        const out = parseBatch(Buffer.concat(stdout), oids.length);
        if (out === undefined) return reject(new ExternalError('git printed something unexpected while reading stored files', { command, exitCode: 0, signal: undefined, stderr: '' }));
        resolve(out);
      });
      child.stdin.end(oids.map((oid) => `${oid}\n`).join(''));
    });
  }

  /** Runs git and returns stdout; a failure is an ExternalError saying what we were doing. */
  async run(args: readonly string[], doing: string, options: GitCallOptions = {}): Promise<string> {
    const result = await this.exec(args, options);
    if (result.failed) throw gitFailure(result, doing);
    return result.stdout;
  }
}

/**
 * Whether a failure means Ctrl-C. The terminal signals its whole foreground group, choiros and
 * the git it runs alike, in one instant — but Node may see git exit before it runs choiros' own
 * SIGINT handler (which aborts `signal`). choiros never sends git a SIGINT, so a git that died of
 * one was stopped by the Ctrl-C, whether or not `signal` says so yet.
 */
export function isInterrupt(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || error instanceof CancelledError || (error instanceof ExternalError && error.failure.signal === 'SIGINT');
}

export function gitFailure(result: ProcessResult, doing: string): ExternalError {
  const failure = { command: result.command, exitCode: result.exitCode, signal: result.signal, stderr: result.spawnError ?? result.stderr };
  const options = result.spawnError === undefined ? {} : { hint: 'Install git (2.31 or newer) and make sure it is on PATH.' };
  return new ExternalError(`git failed while ${doing}`, failure, options);
}

/** `cat-file --batch` output, records `<oid> <type> <size>\n<content>\n`: the contents, or undefined if malformed. */
function parseBatch(stdout: Buffer, count: number): Buffer[] | undefined {
  const out: Buffer[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const eol = stdout.indexOf(10, at);
    const size = Number(stdout.toString('latin1', at, eol).split(' ')[2]);
    if (eol < 0 || !Number.isInteger(size)) return undefined;
    out.push(stdout.subarray(eol + 1, eol + 1 + size));
    at = eol + 1 + size + 1;
  }
  return out;
}

/** Splits `-z` output into records, dropping the empty one after the final NUL. */
export function splitNul(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** NUL-joined input for `--stdin -z` / `--pathspec-file-nul`, with the trailing NUL git expects. */
export function joinNul(items: readonly string[]): string {
  return items.map((item) => `${item}\0`).join('');
}
