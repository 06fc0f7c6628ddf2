/**
 * The error taxonomy (after Shopify's cli-kit). Library code throws these; the one handler in
 * `cli/handle-error.ts` turns anything thrown into a message and an exit code. Nothing below the
 * CLI calls `process.exit` or writes to the console.
 */

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  limit: 3,
  awaitingApproval: 4,
  cancelled: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface AbortOptions {
  /** One sentence on how to fix it. */
  hint?: string;
  /** Commands or steps to try next, printed as a list. */
  nextSteps?: string[];
  cause?: unknown;
}

/** Something the user can fix: printed without a stack, exit 1. */
export class AbortError extends Error {
  readonly hint: string | undefined;
  readonly nextSteps: string[];
  readonly exitCode: ExitCode = ExitCode.failure;

  constructor(message: string, options: AbortOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AbortError';
    this.hint = options.hint;
    this.nextSteps = options.nextSteps ?? [];
  }
}

/** Bad flags or arguments: exit 2, nothing done. */
export class UsageError extends AbortError {
  override readonly exitCode: ExitCode = ExitCode.usage;

  constructor(message: string, options: AbortOptions = {}) {
    super(message, options);
    this.name = 'UsageError';
  }
}

export interface ConfigIssue {
  /** Key path as written by users: `windows[2].ready.http`. Empty for the whole file. */
  path: string;
  message: string;
  /** 1-based position in the file, when known. */
  line?: number;
  column?: number;
}

/** An invalid choiros.yaml (or other input file): exit 2, every issue with its key path. */
export class ConfigError extends AbortError {
  override readonly exitCode: ExitCode = ExitCode.usage;
  readonly file: string | undefined;
  readonly issues: ConfigIssue[];

  constructor(file: string | undefined, issues: ConfigIssue[], options: AbortOptions = {}) {
    super(formatConfigIssues(file, issues), options);
    this.name = 'ConfigError';
    this.file = file;
    this.issues = issues;
  }
}

export function formatConfigIssues(file: string | undefined, issues: ConfigIssue[]): string {
  return issues
    .map((issue) => {
      const where = file === undefined ? '' : issue.line === undefined ? `${file}: ` : `${file}:${issue.line}:${issue.column ?? 1}: `;
      const key = issue.path === '' ? '' : `${issue.path}: `;
      return `${where}${key}${issue.message}`;
    })
    .join('\n');
}

export interface ExternalFailure {
  command: string;
  exitCode: number | undefined;
  signal: string | undefined;
  stderr: string;
}

/** An external command (tmux, git, a gate) failed: the command, its exit code, a tail of stderr. */
export class ExternalError extends AbortError {
  readonly failure: ExternalFailure;

  constructor(message: string, failure: ExternalFailure, options: AbortOptions = {}) {
    super(message, options);
    this.name = 'ExternalError';
    this.failure = failure;
  }
}

/** The user pressed Ctrl-C or answered "no": silent, exit 130. */
export class CancelledError extends Error {
  readonly exitCode: ExitCode = ExitCode.cancelled;

  constructor(message = 'Cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** A bug in choiros: printed with its stack and a request to report it. */
export class BugError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BugError';
  }
}

export function isAbortError(error: unknown): error is AbortError {
  return error instanceof AbortError;
}

/** For exhaustive switches: the compiler proves this is unreachable. */
export function assertNever(value: never, what = 'value'): never {
  throw new BugError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
