import type { Verify } from '../prose/index.js';
import { approval } from './approvals.js';
import { RunStop } from './errors.js';
import { keyOf, site, type Frame } from './frame.js';
import type { Interpreter } from './interpreter.js';
import { SAME_FAILURE_LIMIT } from './loop-state.js';
import type { ChecksDecision } from './ports.js';
import { Attempt, asProseError, beforeStep, cancelled, replay, type StepSpec } from './steps.js';
import { fromJson, isObject, Tagged, type Value, type ValueObject } from './values.js';

const CHECK_OPTIONS = ['Accept', 'Refuse'];
const STUCK_OPTIONS = ['Continue', 'Stop'];

/**
 * Before the gates run: has the candidate changed what they check (a test file, a threshold, a
 * gate's command) since the last good checkpoint? Changes a human accepted earlier are not
 * asked about again; new ones are put to a human (a terminal, or `choiros approve`), and refused
 * without asking in autonomous mode, which never waits: a refused candidate fails verification.
 */
async function reviewChecks(it: Interpreter, frame: Frame, key: string, gates: readonly string[]): Promise<ChecksDecision> {
  const { rc } = it;
  const changes = (await rc.ports.verify.review?.(gates, frame.signal)) ?? [];
  if (changes.length === 0) return { status: 'unchanged', changes };
  const fresh = changes.filter((c) => !rc.loop.acceptedChecks.has(c.key));
  if (fresh.length === 0) return { status: 'accepted', changes };
  const detail = fresh.map((c) => c.text).join('; ');
  // Put to a human before (the run stopped to wait for the answer): recorded then, not again on resume.
  if (rc.ports.journal.recorded(`${key}~checks`) === undefined) rc.ports.journal.deviation?.({ kind: 'ChecksChanged', stage: frame.phase, detail });
  rc.emit({ type: 'warning', message: `the candidate changed what the gates check: ${detail}`, at: undefined });
  const request = { name: 'checks', prompt: `The agent changed what the gates check:\n${fresh.map((c) => `  - ${c.text}`).join('\n')}\nAccept these changes?`, options: CHECK_OPTIONS, timeoutMs: undefined, fallback: undefined };
  const spec: StepSpec = { kind: 'gate', task: 'gate checks', agent: null, inputs: { prompt: request.prompt, options: CHECK_OPTIONS, changes: fresh }, detail: detail };
  const { answer } = await approval(it, frame, { key: `${key}~checks`, request, spec, unattended: { answer: 'Refuse', feedback: '', by: 'autonomous mode' } });
  return { status: answer.answer === 'Accept' ? 'accepted' : 'refused', changes };
}

function verdictValue(verdict: Record<string, unknown>): Value {
  const passed = verdict.passed === true;
  const digest = typeof verdict.digest === 'string' ? verdict.digest : passed ? 'all gates passed' : 'verification failed';
  return new Tagged('verify', passed, fromJson(verdict) as ValueObject, digest);
}

/** The digest's first line without its `verify `: `failed: unit fail, lint fail; coverage pass`. */
function verifySummary(value: Value): string {
  const passed = value instanceof Tagged && value.primary === true;
  const first = (value instanceof Tagged ? String(value.text ?? '') : '').split('\n')[0] ?? '';
  const match = /^verify (passed|failed): (.+)$/.exec(first);
  return match === null ? (passed ? 'passed' : 'failed') : `${match[1]}: ${match[2]}`;
}

/**
 * The loop's rule: the same failure three times in a row stops it and asks for a human. On a
 * terminal the human may say to go on (the count starts again); without one the task waits for
 * approval (approve: go on); an autonomous run, which never waits, stops at the limit (exit 3).
 */
async function afterVerify(it: Interpreter, frame: Frame, key: string, value: Value, replayed: boolean): Promise<Value> {
  const { rc } = it;
  const seen = rc.loop.verified(value);
  if (seen < SAME_FAILURE_LIMIT || !(value instanceof Tagged)) return value;
  const fingerprint = String(value.fields.fingerprint);
  const why = `verification failed the same way ${seen} times in a row (fingerprint ${fingerprint})`;
  // A replayed verification was recorded the first time: every resume would add it again (and webhooks with it).
  if (!replayed) rc.ports.journal.deviation?.({ kind: 'SameFailure', stage: frame.phase, detail: why });
  const request = { name: 'stuck', prompt: `${why}.\n${String(value.text ?? '').split('\n').slice(0, 6).join('\n')}\nKeep trying?`, options: STUCK_OPTIONS, timeoutMs: undefined, fallback: undefined };
  const spec: StepSpec = { kind: 'gate', task: 'gate stuck', agent: null, inputs: { prompt: request.prompt, options: STUCK_OPTIONS, fingerprint }, detail: why };
  // An autonomous run never waits: it stops at the limit (exit 3), and the question stays in the
  // ledger, so `choiros approve` can still say to keep trying and `prose resume` go on.
  const unattendedStop = (task: string) => new RunStop('limit', `${why}: a human should look (choiros approve ${task} keeps trying)`);
  const { answer } = await approval(it, frame, { key: `${key}~stuck`, request, spec, unattended: undefined, unattendedStop });
  if (answer.answer !== 'Continue') {
    rc.stopping ??= new RunStop('limit', `${why}: ${answer.by} chose to stop`);
    throw rc.stopping;
  }
  rc.loop.forgive(fingerprint);
  return value;
}

/**
 * `verify [GATE, …]`: the gates' verdict; as a condition it is `.passed`, in a string its
 * digest. The gates run as the last good checkpoint defines them, after any change the
 * candidate made to what they check was accepted; a failure's digest names the candidate's
 * checkpoint, its diff from the last good one and the earlier attempts.
 */
export async function runVerify(it: Interpreter, node: Verify, frame: Frame): Promise<Value> {
  const { rc } = it;
  const names = node.gates.map((g) => g.name);
  const key = keyOf(frame, node.span);
  const spec: StepSpec = { kind: 'verify', task: `verify${names.length === 0 ? '' : ` ${names.join(',')}`}`, agent: null, inputs: { gates: names }, detail: '' };
  beforeStep(rc, frame);
  const recorded = replay(rc, key, spec);
  if (recorded !== undefined) return afterVerify(it, frame, key, recorded, true);
  let checks: ChecksDecision;
  try {
    checks = await reviewChecks(it, frame, key, names);
  } catch (error) {
    throw asProseError(error, 'verify', key, site(frame, node.span));
  }
  beforeStep(rc, frame);
  const attempt = new Attempt(rc, frame, key, spec, 1);
  let value: Value;
  try {
    const { signal, onOutput, onSpawn } = attempt.io;
    const verdict = await rc.ports.verify.run(names, { signal, onOutput, ...(onSpawn === undefined ? {} : { onSpawn }), logName: attempt.logName, attempt: rc.loop.nextAttempt(), earlier: rc.loop.earlier(), checks });
    // The decision on the checks travels with the verdict: a replay restores what was accepted.
    value = verdictValue({ ...verdict, checks: verdict.checks ?? checks });
  } catch (error) {
    await attempt.fail(error instanceof Error ? error.message : String(error));
    if (frame.signal.aborted) throw cancelled(frame.signal);
    throw asProseError(error, 'verify', key, site(frame, node.span));
  }
  await recordVerdict(attempt, value);
  if (frame.signal.aborted) throw cancelled(frame.signal);
  return afterVerify(it, frame, key, value, false);
}

const EXCERPT_LINES = 20;

/**
 * A passing verification's task succeeds; a failing one's fails — `choiros runs`, the play's
 * success rates and the per-agent failure counts see it — with the failing gates as its reason,
 * the digest's first lines as its excerpt and the digest (or the failing gate's log) as its
 * output. Its value is kept either way: the program goes on with the verdict.
 */
async function recordVerdict(attempt: Attempt, value: Value): Promise<void> {
  const summary = verifySummary(value);
  if (value instanceof Tagged && value.primary === true) return attempt.succeed(value, summary);
  const fields = value instanceof Tagged ? value.fields : {};
  const digest = value instanceof Tagged ? String(value.text ?? '') : '';
  const gates = Array.isArray(fields.gates) ? fields.gates.filter((g): g is ValueObject => isObject(g) && g.passed !== true) : [];
  const failing = gates.map((g) => `${String(g.gate)} ${String(g.status)}`).join(', ');
  const reason = failing === '' ? (digest.split('\n')[0] ?? 'verification failed') : `verification failed: ${failing}`;
  const log = typeof fields.digest_file === 'string' ? fields.digest_file : gates.map((g) => g.logFile).find((f): f is string => typeof f === 'string' && f !== '');
  await attempt.failWith(value, reason, summary, { logExcerpt: digest.split('\n').slice(0, EXCERPT_LINES).join('\n'), ...(log === undefined ? {} : { outputsUri: log }) });
}
