import { z } from 'zod';
import { checkAgentCommand } from './agent-command.js';
import { DURATION_PATTERN, SIZE_PATTERN, parseDuration, parseSize } from './units.js';
import { NOTIFY_EVENTS } from '../notify/payload.js';

/**
 * The choiros.yaml schema. Durations and sizes are written the human way (`60s`, `10MiB`) and
 * come out of parsing as milliseconds and bytes. Every object is strict: an unknown key is an
 * error naming its path, never silently ignored.
 */

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;

const duration = (fallback: string) =>
  z
    .union([z.number().nonnegative(), z.string().regex(DURATION_PATTERN, 'expected a duration like 500ms, 30s, 5m or 1h')])
    .default(fallback)
    .transform((value) => parseDuration(value) ?? 0)
    .describe('a duration: 500ms, 30s, 5m, 1h (a bare number is seconds)');

/**
 * `checkpoints.interval`: a bare number is minutes, as for the `checkpoint_interval` run setting
 * it feeds — "checkpoint every 10" means minutes to everyone, and every 10 s all night is a
 * flood of tags.
 */
const interval = (fallback: string) =>
  z
    .union([z.number().nonnegative(), z.string().regex(DURATION_PATTERN, 'expected a duration like 500ms, 30s, 5m or 1h')])
    .default(fallback)
    .transform((value) => parseDuration(value, 60_000) ?? 0);

const optionalDuration = () =>
  z
    .union([z.number().nonnegative(), z.string().regex(DURATION_PATTERN, 'expected a duration like 500ms, 30s, 5m or 1h')])
    .optional()
    .transform((value) => (value === undefined ? undefined : (parseDuration(value) ?? 0)));

const size = (fallback: string) =>
  z
    .union([z.number().int().nonnegative(), z.string().regex(SIZE_PATTERN, 'expected a size like 512KiB or 10MiB')])
    .default(fallback)
    .transform((value) => parseSize(value) ?? 0)
    .describe('a size in bytes, or with a unit: 512KiB, 10MiB');

const name = (what: string) => z.string().regex(NAME_PATTERN, `expected a ${what} name: a letter, then letters, digits, _ or -`);

const port = z.number().int().min(1, 'expected a port number (1-65535)').max(65535, 'expected a port number (1-65535)');

const stringOrArgv = z.union([z.string().min(1, 'expected a command'), z.array(z.string()).min(1, 'expected a command')]);

const envMap = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name'), z.union([z.string(), z.number(), z.boolean()]).transform(String));

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** `host:99999` matches the shape but names no port. */
function hostPortInRange(text: string): boolean {
  const port = Number(text.slice(text.lastIndexOf(':') + 1));
  return port >= 1 && port <= 65535;
}

function isRegex(text: string): boolean {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}

export const ReadySchema = z
  .strictObject({
    http: z.string().refine(isHttpUrl, 'expected a URL').optional().describe('ready when a GET answers 2xx or 3xx'),
    tcp: z
      .union([port, z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected a port (1-65535) or host:port').refine(hostPortInRange, 'expected a port (1-65535) or host:port')])
      .optional()
      .describe('ready when a TCP connection opens: a port, or host:port'),
    log: z.string().refine(isRegex, 'expected a regular expression').optional().describe("ready when the window's output matches this regular expression"),
    exec: z.string().min(1, 'expected a command').optional().describe('ready when this command exits 0'),
    timeout: duration('60s').describe('give up waiting after this long'),
    interval: duration('500ms').describe('time between probe attempts'),
  })
  .superRefine((probe, ctx) => {
    const kinds = (['http', 'tcp', 'log', 'exec'] as const).filter((k) => probe[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({ code: 'custom', message: kinds.length === 0 ? 'expected one of http, tcp, log or exec' : `expected only one of ${kinds.join(', ')}` });
    }
  });

export const WindowSchema = z.strictObject({
  name: name('window').describe('the tmux window name'),
  command: z.string().min(1, 'expected a command').optional().describe("the pane's own process, run by /bin/sh -c; default: an interactive shell"),
  cwd: z.string().optional().describe('working directory, relative to the project root'),
  env: envMap.optional().describe('extra environment variables'),
  env_file: z.string().optional().describe('a dotenv file (KEY=value lines) read at start'),
  port: port.optional().describe('a port this window listens on; checked before start (derived from ready.tcp/http when omitted)'),
  ready: ReadySchema.optional().describe('readiness probe'),
  restart: z.enum(['no', 'on-failure', 'always']).default('on-failure').describe('restart policy when the process exits'),
  max_restarts: z.number().int().nonnegative().default(5).describe('consecutive restarts before giving up'),
  backoff: duration('1s').describe('first restart delay; doubles on each consecutive failure, up to 30s'),
  depends_on: z.array(name('window')).default([]).describe('windows that must be ready before this one starts'),
  autostart: z.boolean().default(true).describe('false: the window opens a shell and waits for `choiros restart NAME`'),
  log: z.boolean().default(true).describe("capture the window's output to its log file"),
  restart_on_rollback: z.boolean().optional().describe('restart this window after `choiros rollback` (default: true for api and ui)'),
});

export const AgentSchema = z
  .strictObject({
    preset: z.enum(['claude', 'codex', 'aider', 'goose', 'scripted', 'command']).optional().describe('a built-in adapter; inferred from the command name when omitted'),
    command: stringOrArgv.optional().describe('argv template with {prompt}, {system}, {model}, {context_file} placeholders (never inside a `sh -c` script or the code of `python -c`, `node -e` and the like)'),
    stdin: z.boolean().optional().describe('send the prompt on stdin instead of as an argument'),
    model: z.string().optional().describe('model name passed as {model}'),
    cwd: z.string().optional().describe('working directory, relative to the project root'),
    env: envMap.optional().describe('extra environment variables'),
    answers: z.string().optional().describe('scripted preset: a YAML/JSON file of answers keyed by agent and call number'),
    timeout: duration('30m').describe('hard limit for one agent run'),
    idle_timeout: duration('5m').describe('limit on time without any output'),
  })
  .superRefine((agent, ctx) => checkAgentCommand(agent.command, ctx));

export const GateSchema = z.strictObject({
  run: stringOrArgv.describe('the command that runs the checks'),
  cwd: z.string().optional().describe('working directory, relative to the project root'),
  env: envMap.optional().describe('extra environment variables'),
  timeout: duration('10m').describe('a gate that runs longer is an error, not a pass'),
  junit: z.string().optional().describe('a JUnit XML report path'),
  tap: z.union([z.boolean(), z.string()]).optional().describe('parse TAP from stdout (true) or a file'),
  vitest_json: z.union([z.boolean(), z.string()]).optional().describe('parse a vitest JSON report from stdout (true) or a file'),
  jest_json: z.union([z.boolean(), z.string()]).optional().describe('parse a jest JSON report from stdout (true) or a file'),
  cargo: z.boolean().optional().describe('parse `cargo test` summaries from stdout'),
  lcov: z.string().optional().describe('an lcov coverage file'),
  istanbul: z.string().optional().describe('an istanbul json-summary file'),
  cobertura: z.string().optional().describe('a cobertura XML coverage file'),
  min: z.number().min(0).max(100).optional().describe('minimum coverage percent'),
  eslint_json: z.union([z.boolean(), z.string()]).optional().describe('count lint warnings from eslint -f json output (true) or a file'),
  clippy_json: z.union([z.boolean(), z.string()]).optional().describe('count warnings from cargo clippy --message-format=json'),
  max_warnings: z.number().int().nonnegative().optional().describe('most lint warnings allowed'),
  test_threshold: z.number().min(0).max(1).optional().describe('minimum pass rate, 0..1'),
  flaky_is_pass: z.boolean().default(false).describe('count fail-then-pass on a re-run as a pass'),
});

export const NotifySchema = z.strictObject({
  kind: z.enum(['slack', 'webhook']).describe('slack: {text} payload; webhook: the generic JSON payload'),
  url: z.string().min(1, 'expected a URL').describe('may use ${ENV_VAR}; never printed'),
  secret: z.string().optional().describe('HMAC-SHA256 signing secret; may use ${ENV_VAR}'),
  on: z
    .array(z.enum(NOTIFY_EVENTS))
    .optional()
    .describe('events to send (default: awaiting_approval, failed, finished, deviation); `started` (when a run starts) and `health` (a recorded health score that is warning or critical) only when listed'),
});

/** `07:00`, an ISO date and time, or a duration from the start of the run (`8h`). */
const DEADLINE_PATTERN = /^(?:(?:[01]?\d|2[0-3]):[0-5]\d|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}\S*|(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+)$/;

export const RunSchema = z
  .strictObject({
    max_iterations: z.number().int().positive().optional().describe('failed verifications in a row before a run stops for a human (exit 3); autonomous runs default to 10'),
    deadline: z
      .string()
      .regex(DEADLINE_PATTERN, 'expected a time of day (07:00), an ISO date and time, or a duration like 8h')
      .optional()
      .describe('wall-clock limit of a run: 07:00 is the next 07:00 after it starts'),
    agent_timeout: optionalDuration().describe('caps the hard timeout of every agent call in a run'),
    rollback_on_failure: z.boolean().optional().describe('whether a failed iteration is rolled back to the last good checkpoint (default true)'),
  })
  .describe('hard caps of `prose run`; a run argument of the same name overrides each');

export const ConfigSchema = z
  .strictObject({
    session: name('session').optional().describe('tmux session name; default: the project folder name'),
    windows: z.array(WindowSchema).min(1, 'expected at least one window').optional().describe('the tmux windows, in order (default: editor, api, ui, watcher, e2e, logs)'),
    agents: z.record(name('agent'), AgentSchema).optional().describe('agent adapters by name; `default` serves sessions that name none'),
    judge: z
      .strictObject({ agent: z.string().optional().describe('the agent that answers **discretion** questions'), answers: z.string().optional().describe('a scripted answers file instead') })
      .optional()
      .describe('who answers **discretion** conditions'),
    verify: z.record(name('gate'), GateSchema).optional().describe('verification gates by name'),
    checkpoints: z
      .strictObject({
        interval: interval('5m').describe('automatic checkpoint interval in autonomous runs: a duration (5m, 1h), a bare number of minutes, or 0 for none'),
        keep: z.number().int().positive().default(50).describe('unverified checkpoints kept (good ones are never pruned)'),
        max_file_size: size('10MiB').describe('untracked files larger than this are skipped'),
        exclude: z.array(z.string()).default([]).describe('extra folders never snapshotted'),
      })
      .prefault({})
      .describe('git checkpoints'),
    notify: z.array(NotifySchema).optional().describe('webhooks'),
    serve: z
      .strictObject({
        url: z.string().refine(isHttpUrl, 'expected an http(s) URL').optional().describe("where people open `choiros serve` (its address, or a proxy's in front of it): webhooks link each run's page there"),
      })
      .optional()
      .describe('the web dashboard'),
    watch: z
      .strictObject({
        run: z.string().min(1, 'expected a command').optional().describe('test command; default: the package.json test script'),
        ignore: z.array(z.string()).default([]).describe('more folder names or paths not to watch (files the tests write, for example); git-ignored files and folders, .git, node_modules and build output never count (git-ignored folders are not even watched)'),
        debounce: duration('300ms').describe('quiet time after a change before the tests run'),
      })
      .prefault({})
      .describe('the watcher window'),
    logs: z
      .strictObject({ max_size: size('10MiB').describe('rotate a window log past this size'), keep: z.number().int().nonnegative().default(3).describe('rotated copies kept') })
      .prefault({})
      .describe('per-window log files'),
    run: RunSchema.optional(),
    max_parallel_agents: z.number().int().positive().default(4).describe('agents running at once in parallel blocks'),
    stop_grace: optionalDuration().describe('time between SIGTERM and SIGKILL on stop (default 5s)'),
  })
  .superRefine((config, ctx) => checkWindows(config.windows ?? [], ctx));

function checkWindows(windows: ReadonlyArray<{ name: string; depends_on: string[] }>, ctx: z.RefinementCtx): void {
  const index = new Map<string, number>();
  windows.forEach((w, i) => {
    if (index.has(w.name)) ctx.addIssue({ code: 'custom', path: ['windows', i, 'name'], message: `duplicate window name '${w.name}'` });
    else index.set(w.name, i);
  });
  windows.forEach((w, i) =>
    w.depends_on.forEach((dep, j) => {
      if (!index.has(dep)) ctx.addIssue({ code: 'custom', path: ['windows', i, 'depends_on', j], message: `unknown window '${dep}'` });
      else if (dep === w.name) ctx.addIssue({ code: 'custom', path: ['windows', i, 'depends_on', j], message: 'a window cannot depend on itself' });
    }),
  );
  const cycle = findCycle(windows);
  if (cycle !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['windows', index.get(cycle[0] ?? '') ?? 0, 'depends_on'], message: `dependency cycle: ${cycle.join(' -> ')}` });
  }
}

/** A depends_on cycle as a list of names (first repeated at the end), or undefined. */
export function findCycle(windows: ReadonlyArray<{ name: string; depends_on: readonly string[] }>): string[] | undefined {
  const deps = new Map(windows.map((w) => [w.name, w.depends_on]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'visiting') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'visiting');
    stack.push(n);
    for (const d of deps.get(n) ?? []) {
      if (d === n || !deps.has(d)) continue;
      const found = visit(d);
      if (found !== undefined) return found;
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const w of windows) {
    const found = visit(w.name);
    if (found !== undefined) return found;
  }
  return undefined;
}

export type ConfigInput = z.input<typeof ConfigSchema>;
export type ParsedConfig = z.output<typeof ConfigSchema>;
export type WindowConfig = z.output<typeof WindowSchema>;
export type ReadyProbe = z.output<typeof ReadySchema>;
export type AgentConfig = z.output<typeof AgentSchema>;
export type GateConfig = z.output<typeof GateSchema>;
export type NotifyConfig = z.output<typeof NotifySchema>;
export type RunConfig = z.output<typeof RunSchema>;
