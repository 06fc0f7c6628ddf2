import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import type { GateConfig } from '../config/schema.js';
import type { Snapshot } from '../git/index.js';
import type { ChangedBlob } from '../git/diff.js';
import type { CheckChange, ChecksDecision, VerifyIo, VerifyPort } from '../runtime/ports.js';
import { NO_REDACTION, type Redact } from '../runtime/redact.js';
import type { GateVerdict, Verdict } from '../verify/types.js';
import { checkChanges } from './checks.js';
import { composeDigest } from './digest.js';
import type { LoopGit, Reference } from './loop-git.js';

type Gates = Readonly<Record<string, GateConfig>>;

export interface LoopVerifyOptions {
  /** Where gates run; failures' paths are shown relative to it. */
  root: string;
  /** The run folder: gate logs and each failure's digest (`digest-N.md`) go here. */
  logDir: string;
  env: NodeJS.ProcessEnv;
  /** The gates of the choiros.yaml loaded when the run started (a tree without one falls back to them). */
  gates: Gates;
  /** choiros.yaml's path from the top of the git work tree, when the project has one. */
  configPath: string | undefined;
  /** The project root's path from the top of the git work tree (`''` when they are one). */
  rootPath?: string | undefined;
  /** The gates a choiros.yaml text defines; `unreadable` when it does not parse. */
  readGates(text: string): Promise<Gates | 'unreadable'>;
  /** Outside a git repository: no checks on the checks, no candidates kept. */
  git: LoopGit | undefined;
  /** `test_threshold` of the run, for test gates that set none of their own. */
  testThreshold: number | undefined;
  /** Hides secrets from the gate logs and the digest (a gate may print a token of its environment). */
  secrets?: Redact;
}

/** What `review` saw, for the `run` that follows it. */
interface Seen {
  reference: Reference;
  snapshot: Snapshot;
  before: Gates;
  after: Gates | 'unreadable';
}

const UNCHANGED: ChecksDecision = { status: 'unchanged', changes: [] };

/** Gates that count tests and set no pass rate of their own take the run's. */
function withThreshold(gates: Gates, threshold: number | undefined): Gates {
  if (threshold === undefined) return gates;
  const counts = (g: GateConfig) => ['junit', 'tap', 'vitest_json', 'jest_json', 'cargo'].some((k) => g[k as keyof GateConfig] !== undefined && g[k as keyof GateConfig] !== false);
  return Object.fromEntries(Object.entries(gates).map(([name, g]) => [name, g.test_threshold === undefined && counts(g) ? { ...g, test_threshold: threshold } : g]));
}

/** A candidate whose changes to the checks were refused: no gate is trusted to judge it. */
function refused(changes: readonly CheckChange[], unansweredVerdict: (fields: Pick<GateVerdict, 'gate' | 'command' | 'logFile' | 'failures' | 'reasons'>) => GateVerdict): GateVerdict {
  return unansweredVerdict({
    gate: 'checks',
    command: '(the checks themselves)',
    logFile: '',
    failures: changes.map((c) => ({ gate: 'checks', kind: 'gate', test: null, file: null, line: null, message: c.text })),
    reasons: ['the candidate changed what the gates check, and the change was refused'],
  });
}

/**
 * `verify` for the agentic loop. Before the gates run, `review` compares the candidate with the
 * reference tree (the newest good checkpoint, of this run or an earlier one, else the run's
 * start): which changes touch the checks. The gates then run as the reference defines them — as the candidate does only when a
 * human accepted its changes — and a failure keeps the candidate as a checkpoint marked bad,
 * with a digest naming it, its diff stat and the earlier attempts, written to the run folder.
 */
export class LoopVerify implements VerifyPort {
  private seen: Seen | undefined;

  constructor(private readonly options: LoopVerifyOptions) {}

  /** The gates a tree's choiros.yaml defines; `missing` when the tree has none. */
  private async gatesAt(tree: string, missing: Gates): Promise<Gates | 'unreadable'> {
    const { git, configPath, gates } = this.options;
    if (git === undefined || configPath === undefined) return gates;
    const text = await git.fileAt(tree, configPath);
    return text === undefined ? missing : this.options.readGates(text);
  }

  private async look(): Promise<{ seen: Seen; changed: ChangedBlob[] } | undefined> {
    const { git, configPath } = this.options;
    if (git === undefined) return undefined;
    const [reference, snapshot] = await Promise.all([git.reference(), git.snapshot()]);
    const changed = await git.changed(reference.tree, snapshot.tree);
    // A reference older than choiros.yaml (a good checkpoint taken before `choiros init`), or one
    // whose choiros.yaml does not parse, cannot be trusted more than the one loaded at the start.
    const atReference = await this.gatesAt(reference.tree, this.options.gates);
    const before = atReference === 'unreadable' ? this.options.gates : atReference;
    // A candidate that deleted choiros.yaml removed every gate.
    const after = changed.some((c) => c.path === configPath) ? await this.gatesAt(snapshot.tree, {}) : before;
    return { seen: { reference, snapshot, before, after }, changed };
  }

  async review(): Promise<CheckChange[]> {
    const looked = await this.look();
    this.seen = looked?.seen;
    if (looked === undefined) return [];
    const { before, after } = looked.seen;
    // Git names paths from the top of the work tree; gates, their scripts and `cwd` are named from
    // the project root, which may be a folder of the repository.
    const rootPath = this.options.rootPath ?? '';
    const changed = rootPath === '' ? looked.changed : looked.changed.map((c) => ({ ...c, path: posix.relative(rootPath, c.path) }));
    return checkChanges({ before, after, configChange: looked.changed.find((c) => c.path === this.options.configPath), changed });
  }

  async run(names: readonly string[], io: VerifyIo): Promise<Record<string, unknown>> {
    const seen = this.seen ?? (await this.look())?.seen;
    this.seen = undefined;
    const checks = io.checks ?? UNCHANGED;
    const { selectGates, runGates, unansweredVerdict } = await import('../verify/verify.js');
    const { combineVerdicts } = await import('../verify/verdict.js');
    let verdict: Verdict;
    if (checks.status === 'refused') verdict = combineVerdicts([refused(checks.changes, unansweredVerdict)]);
    else {
      const defined = seen === undefined ? this.options.gates : checks.status === 'accepted' && seen.after !== 'unreadable' ? seen.after : seen.before;
      const gates = selectGates(withThreshold(defined, this.options.testThreshold), names);
      const { secrets } = this.options;
      verdict = await runGates(gates, {
        root: this.options.root,
        logDir: this.options.logDir,
        signal: io.signal,
        env: this.options.env,
        onOutput: io.onOutput,
        ...(io.onSpawn === undefined ? {} : { onSpawn: (pid: number) => io.onSpawn?.(pid) }),
        ...(secrets === undefined ? {} : { secrets }),
      });
    }
    const attempt = io.attempt ?? 1;
    const common = { attempt, baseline: seen?.reference.name ?? null, checks: { status: checks.status, changes: checks.changes } };
    if (verdict.passed || io.signal.aborted) return { ...verdict, ...common, candidate: null, diff_stat: '' };
    if (seen === undefined || this.options.git === undefined) {
      const digest = (this.options.secrets ?? NO_REDACTION).redact(composeDigest({ gates: verdict.digest, baseline: null, diffStat: '', candidate: null, earlier: io.earlier ?? [] }));
      return { ...verdict, ...common, digest, candidate: null, diff_stat: '', digest_file: this.writeDigest(attempt, digest) };
    }
    return this.failed(verdict, seen, this.options.git, io, common);
  }

  private async failed(verdict: Verdict, seen: Seen, git: LoopGit, io: VerifyIo, common: { attempt: number; baseline: string | null; checks: ChecksDecision }): Promise<Record<string, unknown>> {
    const failing = verdict.gates.filter((g) => !g.passed).map((g) => `${g.gate} ${g.status}`).join(', ');
    const [candidate, stat] = await Promise.all([git.keep(seen.snapshot, `attempt ${common.attempt} of ${git.runId}: verify failed (${failing})`), git.diffStat(seen.reference.tree, seen.snapshot.tree)]);
    const digest = (this.options.secrets ?? NO_REDACTION).redact(composeDigest({ gates: verdict.digest, baseline: seen.reference.name, diffStat: stat, candidate: candidate.name, earlier: io.earlier ?? [] }));
    return { ...verdict, ...common, digest, candidate, diff_stat: stat.trimEnd(), digest_file: this.writeDigest(common.attempt, digest) };
  }

  /** `digest-N.md` in the run folder: the failure as the morning reader and the ledger's task see it. */
  private writeDigest(attempt: number, digest: string): string {
    mkdirSync(this.options.logDir, { recursive: true });
    const file = join(this.options.logDir, `digest-${attempt}.md`);
    writeFileSync(file, `${digest}\n`);
    return file;
  }
}

/** A path (choiros.yaml, the project root) from the top of the work tree around it. */
export function configPathIn(workTree: string, file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  // git names the work tree by its real path (/private/var/… for /var/… on macOS).
  const real = (path: string) => (existsSync(path) ? realpathSync(path) : path);
  return relative(real(workTree), real(file)).split('\\').join('/');
}
