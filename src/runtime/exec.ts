import type { Exec, Property } from '../prose/index.js';
import { logExcerpt } from '../ledger/pages.js';
import { quoteForDisplay } from '../process/run.js';
import { shellScriptsIn } from '../util/shell-scripts.js';
import { ArgvError, shellCommand, splitCommand, type Resolve } from './argv.js';
import { ProseError, type Site } from './errors.js';
import { keyOf, site, type Frame } from './frame.js';
import { backoffProperty, choiceProperty, durationProperty, envProperty, retryProperty } from './property-values.js';
import { requireInputs, resolvePath } from './interpolate.js';
import type { Interpreter } from './interpreter.js';
import type { ExecRequest, ExecResult } from './ports.js';
import { backoffDelay } from './session-plan.js';
import { Attempt, beforeStep, cancelled, replay, type StepSpec } from './steps.js';
import { isArray, isTruthy, toText, type Value } from './values.js';

interface ExecPlan {
  argv: string[];
  shell: boolean;
  cwd: string | undefined;
  env: Record<string, string>;
  timeoutMs: number | undefined;
  onFail: 'fail' | 'continue' | 'ignore';
  retry: number;
  backoff: 'none' | 'linear' | 'exponential';
}

function propertyNode(node: Exec, name: string): Property | undefined {
  const found = node.properties.find((p) => p.name.name === name);
  return found === undefined || found.value.kind === 'PropertyBlock' ? undefined : found;
}

async function property(it: Interpreter, node: Exec, name: string, frame: Frame): Promise<Value | undefined> {
  const found = propertyNode(node, name);
  if (found === undefined || found.value.kind === 'PropertyBlock') return undefined;
  if (found.value.kind === 'Identifier' && (name === 'on-fail' || name === 'backoff')) return found.value.name;
  return it.expression(found.value, frame);
}

/** Where a property's value is written (the exec itself when the property is absent). */
function valueSite(node: Exec, name: string, frame: Frame): Site {
  return site(frame, propertyNode(node, name)?.value.span ?? node.span);
}

/**
 * A command written in the `exec` is split (or given to the shell) with its values kept apart.
 * A command computed elsewhere (`exec cmd`, `exec [..]`) had its values filled in already: it runs
 * as argv words, and is refused where that text would reach a shell as a script.
 */
async function commandArgv(it: Interpreter, node: Exec, shell: boolean, frame: Frame): Promise<string[]> {
  const resolve: Resolve = (path) => resolvePath(frame.env, path);
  const command = node.command;
  if (command.kind === 'String') {
    requireInputs(command.interpolations, frame, command.span);
    if (!shell) return splitCommand(command.value, command.interpolations, resolve);
    const { script, params } = shellCommand(command.value, command.interpolations, resolve);
    return ['/bin/sh', '-c', script, 'sh', ...params];
  }
  if (shell) throw new ArgvError(COMPUTED_SHELL);
  const value = await it.expression(command, frame);
  const argv = isArray(value) ? value.map(toText) : splitCommand(toText(value), [], resolve);
  const [script] = shellScriptsIn(argv);
  if (script !== undefined) throw new ArgvError(`refusing to run \`${script.shell}\` with a script from a computed value: its values were filled in before the \`exec\` and cannot be told apart from its code. Write the command as a string in the \`exec\` itself, where each value is passed as "$1", "$2", …`);
  return argv;
}

const COMPUTED_SHELL = '`shell: true` needs the command written as a string in the `exec` itself: a computed command had its values filled in before, so they cannot be passed as "$1", "$2", … Write `exec "…{x}…"` with `shell: true`, or drop `shell: true` to run the value as argv words';

async function plan(it: Interpreter, node: Exec, frame: Frame): Promise<ExecPlan> {
  const shell = isTruthy((await property(it, node, 'shell', frame)) ?? false);
  const at = (name: string) => valueSite(node, name, frame);
  const timeoutMs = durationProperty(await property(it, node, 'timeout', frame), at('timeout'));
  const cwd = await property(it, node, 'cwd', frame);
  const env = envProperty(await property(it, node, 'env', frame), at('env'));
  const onFail = choiceProperty('on-fail', await property(it, node, 'on-fail', frame), ON_FAIL, 'fail', at('on-fail'), '"fail", "continue" or "ignore"');
  const retry = retryProperty(await property(it, node, 'retry', frame), at('retry'));
  const backoff = backoffProperty(await property(it, node, 'backoff', frame), at('backoff'));
  return {
    argv: await commandArgv(it, node, shell, frame),
    shell,
    cwd: cwd === undefined || cwd === null ? undefined : toText(cwd),
    env,
    timeoutMs,
    onFail,
    retry,
    backoff,
  };
}

const ON_FAIL = ['fail', 'continue', 'ignore'] as const;

/**
 * Records how an attempt ended, and whether the program gets its result: a success, or a failure
 * that on-fail "continue"/"ignore" lets through. Under on-fail a non-zero exit is a result the
 * program reads (grep finding nothing), so the task succeeded; a timeout is not: the command did
 * not finish, and its task says so even though the program goes on.
 */
async function settle(attempt: Attempt, result: ExecResult, onFail: ExecPlan['onFail'], value: Value): Promise<boolean> {
  const detail = { logExcerpt: logExcerpt(result.stderr.trim() === '' ? result.stdout : result.stderr), ...(result.logFile === undefined ? {} : { outputsUri: result.logFile }) };
  if ((result.exitCode === 0 || onFail !== 'fail') && !result.timedOut) {
    await attempt.succeed(value, result.description, { ...detail, meta: { exit_code: result.exitCode, duration_ms: Math.round(result.durationMs) } });
    return true;
  }
  await attempt.fail(result.description, detail);
  return onFail !== 'fail';
}

/**
 * `exec "command"`: runs a command from argv (no shell unless `shell: true`), with `timeout`,
 * `cwd`, `env`, `retry`/`backoff` and `on-fail` ("fail" throws, "continue"/"ignore" return the
 * result). The value is `{exit_code, stdout, stderr}`. The environment's values are not recorded,
 * only their names; the task points at the command's log file.
 */
export async function runExec(it: Interpreter, node: Exec, frame: Frame): Promise<Value> {
  const { rc } = it;
  const key = keyOf(frame, node.span);
  beforeStep(rc, frame);
  let exec: ExecPlan;
  try {
    exec = await plan(it, node, frame);
  } catch (error) {
    if (error instanceof ArgvError) throw new ProseError('exec', error.message, site(frame, node.command.span));
    throw error;
  }
  const [file, ...args] = exec.argv;
  if (file === undefined) throw new ProseError('exec', '`exec` needs a command', site(frame, node.command.span));
  const display = exec.shell ? (exec.argv[2] ?? '') : exec.argv.map(quoteForDisplay).join(' ');
  const stepSpec: StepSpec = { kind: 'exec', task: `exec ${display}`, agent: null, inputs: { argv: exec.argv, cwd: exec.cwd ?? null, env: Object.keys(exec.env), timeout_ms: exec.timeoutMs ?? null, shell: exec.shell }, detail: '' };
  const recorded = replay(rc, key, stepSpec);
  if (recorded !== undefined) return recorded;
  let lastError = '';
  for (let number = 1; number <= exec.retry + 1; number++) {
    if (number > 1) beforeStep(rc, frame);
    const attempt = new Attempt(rc, frame, key, stepSpec, number);
    const request: ExecRequest = { file, args, cwd: exec.cwd, env: exec.env, timeoutMs: exec.timeoutMs, logName: attempt.logName };
    const result = await rc.ports.exec.run(request, attempt.io);
    if (frame.signal.aborted) {
      await attempt.fail('cancelled');
      throw cancelled(frame.signal);
    }
    const value: Value = { exit_code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    if (await settle(attempt, result, exec.onFail, value)) return value;
    lastError = result.description;
    if (number <= exec.retry) {
      const delayMs = backoffDelay(exec.backoff, number, rc.limits.backoffBaseMs);
      attempt.record.retry(number + 1, delayMs, lastError);
      rc.emit({ type: 'step.retry', step: key, attempt: number + 1, delayMs, error: lastError, agent: null });
      await rc.ports.clock.sleep(delayMs, frame.signal);
    }
    const tail = result.stderr.trim().split('\n').slice(-5).join('\n');
    if (number > exec.retry) {
      const error = new ProseError('exec', `exec \`${display}\` failed: ${lastError}${tail === '' ? '' : `\n${tail}`}`, site(frame, node.span), value);
      error.step = key;
      throw error;
    }
  }
  throw new ProseError('exec', `exec \`${display}\` failed: ${lastError}`, site(frame, node.span));
}
