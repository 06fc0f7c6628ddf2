import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/ledger.js';
import { isAlive } from '../../src/process/tree.js';
import { waitFor } from '../helpers/wait.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(repo, 'bin/prose.js');
const agents = join(repo, 'test/fixtures/agents');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dir: string;
let home: string;

beforeAll(() => {
  if (!existsSync(join(repo, 'dist/cli/prose/run-session.js'))) throw new Error('dist/ is missing or stale: run `npm run build` first');
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'prose-run-'));
  home = join(dir, '.home');
  // A .git folder stops the search for choiros.yaml here.
  mkdirSync(join(dir, '.git'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

/** Starts the built `prose` in the temp project; `onStart` may signal it. */
function prose(args: string[], env: NodeJS.ProcessEnv = {}, onStart?: (pid: number) => void): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1', CHOIROS_HOME: home, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    if (child.pid !== undefined) onStart?.(child.pid);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function ledger(): Ledger {
  return Ledger.open(join(dir, '.choiros/ledger.db'));
}

const scripted = 'agents:\n  default: { preset: scripted, answers: answers.yaml }\n';

describe('prose run', () => {
  it('runs a program against the scripted agent and records the run, its play and its tasks', async () => {
    write({ 'choiros.yaml': scripted, 'answers.yaml': 'default: ["Hello!", "Goodbye."]\n', 'hi.prose': 'input name: "Who?"\nlet a = session "Greet {name}"\nsession "Part from {name}"\noutput greeting = a\n' });
    const run = await prose(['run', 'hi.prose', 'name=Ada']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^run run-\d{8}-\d{6}-[0-9a-f]{6} · hi\.prose$/);
    expect(lines.slice(1, 5).map((l) => l.replace(/ \(\d+ms\)$/, ''))).toEqual(['→ session default: Greet Ada', '✓ session default: 6 characters', '→ session default: Part from Ada', '✓ session default: 8 characters']);
    expect(lines.slice(-2)).toEqual([expect.stringMatching(/^✓ run succeeded in \d+ms$/), 'greeting = Hello!']);
    const db = ledger();
    const [recorded] = db.pageRuns(10).items;
    expect(recorded).toMatchObject({ program: 'hi.prose', status: 'succeeded', args: { name: 'Ada' } });
    expect(db.tasksOfRun(recorded?.id ?? '').map((t) => [t.task, t.step, t.status, t.stage, t.outputs])).toEqual([
      ['session default', '2:9', 'succeeded', 'main', { value: 'Hello!', cost_usd: null, session_id: null, exit_code: 0 }],
      ['session default', '3:1', 'succeeded', 'main', { value: 'Goodbye.', cost_usd: null, session_id: null, exit_code: 0 }],
    ]);
    const types = db.events({ runId: recorded?.id ?? '' }).map((e) => e.event.type);
    expect(types.slice(0, 3)).toEqual(['run.started', 'play.spec', 'stage.started']);
    expect(types.at(-1)).toBe('run.finished');
    db.close();
  });

  it('shows with --dry-run which sessions would start, in order, without starting any or recording anything', async () => {
    write({ 'choiros.yaml': 'agents:\n  default: { command: ["choiros-no-such-agent", "{prompt}"] }\n', 'p.prose': readFileSync(join(repo, 'test/fixtures/prose/valid/phased-build.prose'), 'utf8') });
    const run = await prose(['run', 'p.prose', '--dry-run', 'components=["api","ui"]', 'max_iterations=2', 'mode=assisted']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        'dry run of p.prose: nothing is started',
        '▶ phase setup',
        '     exec npm ci',
        '     checkpoint good: clean baseline',
        '▶ phase implementation',
        '  1. session builder: Implement the api component described in docs/.',
        '  2. session builder: Implement the ui component described in docs/.',
        '▶ phase verification',
        '     verify unit,coverage,lint',
        '     checkpoint good: all gates green',
        '▶ phase deployment',
        '     gate deploy: All gates are green. Deploy?',
        '     exec npm run build',
        '2 sessions would start',
        '',
      ].join('\n'),
    );
    expect(existsSync(join(dir, '.choiros'))).toBe(false);
  });

  it('prints no outputs after a dry run: no command ran to give them a value', async () => {
    write({ 'p.prose': 'let shipped = exec "node build.js"\noutput deployed = shipped.stdout\n' });
    const run = await prose(['run', 'p.prose', '--dry-run']);
    expect([run.code, run.stdout]).toEqual([0, 'dry run of p.prose: nothing is started\n   exec node build.js\n0 sessions would start\n']);
  });

  it('says why a dry run failed and where, as a real run does, not only that its phase failed', async () => {
    write({ 'p.prose': 'input items: "What to build"\nphase plan:\n  session "Plan {items}"\nphase build:\n  for item in items:\n    session "Build {item}"\n' });
    const run = await prose(['run', 'p.prose', '--dry-run', 'items=api']);
    expect(run.code).toBe(1);
    expect(run.stdout.trimEnd().split('\n').slice(-3)).toEqual([
      '  phase build failed',
      '✗ dry run failed: expected a list to iterate over, not a string (p.prose:5:15)',
      '1 session would start before that',
    ]);
  });

  it('reads a list input the shell stripped of its quotes, and refuses one it split, before anything runs', async () => {
    write({ 'p.prose': 'input components: "Which?"\n  default: ["api"]\nsession "Plan"\nfor c in components:\n  session "Build {c}"\n' });
    const stripped = await prose(['run', 'p.prose', '--dry-run', 'components=[event-store,chat-actor]']);
    expect(stripped.code).toBe(0);
    expect(stripped.stdout).toContain('3. session default: Build chat-actor\n3 sessions would start\n');
    const split = await prose(['run', 'p.prose', '--dry-run', 'components=[event-store,', 'chat-actor]']);
    expect(split).toMatchObject({ code: 2, stdout: '' });
    expect(split.stderr).toContain(`components='["event-store", "chat-actor"]'`);
    const word = await prose(['run', 'p.prose', '--dry-run', 'components=event-store']);
    expect(word).toMatchObject({ code: 2, stdout: '' });
    expect(word.stderr).toContain("The input components takes a list, not 'event-store'. Nothing was started.");
  });

  it('prints one JSON event per line with --json', async () => {
    write({ 'choiros.yaml': scripted, 'answers.yaml': 'default: ok\n', 'p.prose': 'session "one"\nexec "true"\n' });
    const run = await prose(['run', 'p.prose', '--json']);
    expect(run.code).toBe(0);
    const events = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(events.map((e) => e.type)).toEqual(['run.started', 'phase.started', 'step.started', 'step.output', 'step.finished', 'step.started', 'step.finished', 'phase.finished', 'run.finished']);
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'succeeded' });
  });

  it('refuses before anything runs: errors in the program, unknown or missing inputs, a missing agent, an unknown phase', async () => {
    write({ 'bad.prose': 'session: ghost\n', 'in.prose': 'input topic: "What?"\nsession "{topic}"\n', 'ph.prose': 'phase a:\n  session "x"\nphase b:\n  session "y"\n' });
    const bad = await prose(['run', 'bad.prose']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toContain('bad.prose:1:10: error E007 undefined agent `ghost`');
    expect((await prose(['run', 'in.prose', 'topic=x', 'tpoic=y'])).stderr).toContain('Unknown input `tpoic`: its inputs are topic.');
    const missing = await prose(['run', 'in.prose']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Missing input: topic ("What?"). Nothing was started.');
    const agentless = await prose(['run', 'in.prose', 'topic=x'], { PATH: '/nonexistent' });
    expect(agentless.code).toBe(2);
    expect(agentless.stderr).toContain('Agent program not found: claude (for default). Nothing was started.');
    const phase = await prose(['run', 'ph.prose', 'phase=c']);
    expect(phase.code).toBe(2);
    expect(phase.stderr).toContain('error: unknown phase `c`: the phases are a, b.\nph.prose: 1 error: nothing was run.');
    expect(existsSync(join(dir, '.choiros'))).toBe(false);
  });

  it('refuses an answers file with a wrong type before the run starts, naming the file and the key', async () => {
    write({ 'choiros.yaml': scripted, 'answers.yaml': 'default:\n  - "fine"\n  - { output: 42, delay_ms: soon }\n', 'p.prose': 'session "a"\n' });
    const run = await prose(['run', 'p.prose']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('answers.yaml: default[1].delay_ms: expected milliseconds (a number, 0 or more), got "soon"');
    expect(run.stderr).not.toContain('internal error');
    expect(existsSync(join(dir, '.choiros/ledger.db'))).toBe(false);
  });

  it('keeps hostile arguments and agent output inert in exec', async () => {
    const hostile = '$(touch pwned); `touch pwned2`; rm -rf ./keep && echo "x"';
    write({ 'choiros.yaml': scripted, 'answers.yaml': `default: ${JSON.stringify("'; touch pwned3; echo '")}\n`, keep: 'safe', 'p.prose': 'input msg: "m"\nlet reply = session "say"\nlet r = exec "echo {msg} {reply}"\noutput out = r.stdout\n' });
    const run = await prose(['run', 'p.prose', `msg=${hostile}`]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`out = ${hostile} '; touch pwned3; echo '`);
    for (const f of ['pwned', 'pwned2', 'pwned3']) expect(existsSync(join(dir, f))).toBe(false);
    expect(readFileSync(join(dir, 'keep'), 'utf8')).toBe('safe');
  });

  it('parses a claude-like agent: cost and session id recorded, secrets redacted from the ledger and logs', async () => {
    write({ 'choiros.yaml': `agents:\n  default: { preset: claude, command: ["${join(agents, 'claude-like.mjs')}"] }\n`, 'p.prose': 'session "Use the token sk-test-abcdef123"\n' });
    const run = await prose(['run', 'p.prose', '--oracle', 'default'], { API_TOKEN: 'sk-test-abcdef123' });
    expect(run.code).toBe(0);
    const db = ledger();
    const [task] = db.tasksOfRun(db.pageRuns(1).items[0]?.id ?? '');
    expect(task?.outputs).toEqual({ value: 'Answer to: Use the token [redacted]', cost_usd: 0.0125, session_id: 'session-31', exit_code: 0 });
    const dump = JSON.stringify([db.tasksOfRun(task?.runId ?? ''), db.events({ runId: task?.runId ?? '' })]);
    expect(dump).not.toContain('sk-test-abcdef123');
    const logDir = join(home, 'logs', basenameOf(dir), 'runs', task?.runId ?? '');
    const logs = readdirSync(logDir).map((f) => readFileSync(join(logDir, f), 'utf8')).join('');
    expect(logs).toContain('"type":"result"');
    expect(logs).not.toContain('sk-test-abcdef123');
    db.close();
  });

  it('stops at a gate no one can answer: the task awaits approval and the run exits 4', async () => {
    write({ 'choiros.yaml': scripted, 'answers.yaml': '{}', 'p.prose': 'session "build"\nlet d = gate deploy:\n  prompt: "Deploy?"\nsession "deploy"\n' });
    const run = await prose(['run', 'p.prose']);
    expect(run.code).toBe(4);
    const db = ledger();
    const id = db.pageRuns(1).items[0]?.id ?? '';
    expect(db.run(id).status).toBe('awaiting_approval');
    expect(db.tasksOfRun(id).map((t) => [t.task, t.status, t.approvalState])).toEqual([
      ['session default', 'succeeded', null],
      ['gate deploy', 'awaiting_approval', 'pending'],
    ]);
    db.close();
  });
});

describe('stopping a run', () => {
  const stubborn = (base: string) => `stop_grace: 300ms\nagents:\n  default: { command: ["sh", "${join(agents, 'stubborn.sh')}"], env: { PID_BASE: "${base}" } }\n`;

  it('stops the agents cleanly on Ctrl-C and records the run as cancelled (exit 130)', async () => {
    const base = join(dir, 'pids');
    write({ 'choiros.yaml': stubborn(base), 'p.prose': 'session "work forever"\nsession "never"\n' });
    const run = await prose(['run', 'p.prose'], {}, (pid) => {
      void waitFor(() => existsSync(`${base}.grandchild`) && existsSync(`${base}.leader`), 10_000, 'the agent').then(() => process.kill(pid, 'SIGINT'));
    });
    expect(run.code).toBe(130);
    expect(isAlive(Number(readFileSync(`${base}.leader`, 'utf8')))).toBe(false);
    expect(isAlive(Number(readFileSync(`${base}.grandchild`, 'utf8')))).toBe(false);
    const db = ledger();
    const id = db.pageRuns(1).items[0]?.id ?? '';
    expect(db.run(id)).toMatchObject({ status: 'cancelled' });
    expect(db.tasksOfRun(id).map((t) => [t.status, t.reason])).toEqual([['skipped', 'cancelled']]);
    db.close();
  });

  it('stops the agents and records the run as cancelled when its terminal hangs up (SIGHUP)', async () => {
    const base = join(dir, 'pids');
    write({ 'choiros.yaml': stubborn(base), 'p.prose': 'session "work forever"\n' });
    const run = await prose(['run', 'p.prose'], {}, (pid) => {
      void waitFor(() => existsSync(`${base}.grandchild`) && existsSync(`${base}.leader`), 10_000, 'the agent').then(() => process.kill(pid, 'SIGHUP'));
    });
    expect(run.code).toBe(130);
    expect(isAlive(Number(readFileSync(`${base}.leader`, 'utf8')))).toBe(false);
    expect(isAlive(Number(readFileSync(`${base}.grandchild`, 'utf8')))).toBe(false);
    const db = ledger();
    expect(db.run(db.pageRuns(1).items[0]?.id ?? '').status).toBe('cancelled');
    db.close();
  });

  it('cancels when another process asks through the ledger', async () => {
    const base = join(dir, 'pids');
    write({ 'choiros.yaml': stubborn(base), 'p.prose': 'session "work forever"\n' });
    const running = prose(['run', 'p.prose']);
    await waitFor(() => existsSync(`${base}.grandchild`), 10_000, 'the agent');
    const db = ledger();
    db.requestControl(db.pageRuns(1).items[0]?.id ?? '', 'cancel', 'test');
    expect((await running).code).toBe(130);
    expect(isAlive(Number(readFileSync(`${base}.grandchild`, 'utf8')))).toBe(false);
    db.close();
  });

  it('stops the run at a limit when an agent outlives its hard timeout, and leaves no process behind', async () => {
    const base = join(dir, 'pids');
    write({ 'choiros.yaml': stubborn(base).replace('env:', 'timeout: 1s, env:'), 'p.prose': 'session "slow"\n' });
    const run = await prose(['run', 'p.prose']);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('■ run stopped at a limit');
    expect(run.stdout).toContain('session default failed after 1 attempt (default): timed out after 1s');
    expect(isAlive(Number(readFileSync(`${base}.grandchild`, 'utf8')))).toBe(false);
  });
});

describe('exec', () => {
  it('ends a command at its timeout, and a catch sees the exit code of the killed process', async () => {
    write({ 'choiros.yaml': 'stop_grace: 200ms\n', 'p.prose': 'try:\n  exec "sleep 30"\n    timeout: 0.5\ncatch as e:\n  output error = e.message\n  output code = e.value.exit_code\n' });
    const run = await prose(['run', 'p.prose']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('error = exec `sleep 30` failed: timed out after 500ms');
    expect(run.stdout).toContain('code = 143');
  });

  it('records the log file of every exec, and a timeout as failed even when on-fail goes on', async () => {
    write({ 'choiros.yaml': 'stop_grace: 200ms\n', 'p.prose': 'exec "echo hello"\nlet r = exec "sh -c \'echo started; sleep 30\'"\n  timeout: 0.5\n  on-fail: "continue"\noutput code = r.exit_code\n' });
    const run = await prose(['run', 'p.prose']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('code = 143');
    const db = ledger();
    const tasks = db.tasksOfRun(db.pageRuns(1).items[0]?.id ?? '');
    expect(tasks.map((t) => [t.task, t.status, t.reason])).toEqual([
      ['exec echo hello', 'succeeded', null],
      ["exec sh -c 'echo started; sleep 30'", 'failed', 'timed out after 500ms'],
    ]);
    expect(tasks.map((t) => readFileSync(t.outputsUri ?? '', 'utf8'))).toEqual(['hello\n', 'started\n']);
    db.close();
  });
});

function basenameOf(path: string): string {
  return path.split('/').filter(Boolean).at(-1) ?? '';
}

describe('scripted agents that edit files', () => {
  it('write and delete files in the project, as a real agent would', async () => {
    write({
      'choiros.yaml': scripted,
      'answers.yaml': 'default:\n  - output: "implemented"\n    files: { "src/add.js": "export const add = (a, b) => a + b;\\n", "TODO.md": null }\n',
      'TODO.md': 'write add\n',
      'p.prose': 'session "Implement add"\nlet r = exec "cat src/add.js"\noutput code = r.stdout\n',
    });
    const result = await prose(['run', 'p.prose', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'src', 'add.js'), 'utf8')).toBe('export const add = (a, b) => a + b;\n');
    expect(existsSync(join(dir, 'TODO.md'))).toBe(false);
  });
});
