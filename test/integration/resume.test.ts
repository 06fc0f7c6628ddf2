import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/ledger/model.js';
import { waitFor } from '../helpers/wait.js';
import { BROKEN_ADD, FIXED_ADD, loopProject, type LoopProject } from './loop-fixture.js';

const ANSWERS = 'default:\n  "*": { output: done, delay_ms: 40 }\n';
const CONFIG = 'agents:\n  default: { preset: scripted, answers: answers.yaml }\nverify:\n  unit: { run: "node checks/tap.mjs", tap: true }\n';
const PROGRAM = [
  'input components: "What to build"',
  '  default: ["a", "b", "c"]',
  'phase build:',
  '  checkpoint good "start"',
  '  parallel for c in components:',
  '    session "build {c}"',
  '  exec "true"',
  'phase check:',
  '  let r = verify unit',
  '  repeat 3 as i:',
  '    session "polish {i} after {r.status}"',
  '  checkpoint good "done"',
].join('\n');

let projects: LoopProject[] = [];
afterEach(() => {
  for (const p of projects) p.cleanup();
  projects = [];
});

function make(program = PROGRAM, answers = ANSWERS): LoopProject {
  const p = loopProject({ config: CONFIG, program, extra: { 'answers.yaml': answers } });
  projects.push(p);
  return p;
}

/** A small seeded generator (mulberry32): the same kill points on every run of the suite. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How many events the ledger holds, read from outside the run (0 until the file exists). */
function eventCount(root: string): number {
  const path = join(root, '.choiros', 'ledger.db');
  if (!existsSync(path)) return 0;
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/** Runs (or resumes) and kills it with SIGKILL once the ledger holds `after` events; false when it ended first. */
async function killAfter(p: LoopProject, args: string[], after: number, delayMs: number): Promise<boolean> {
  const child = p.spawnProse(args);
  const ended = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let done = false;
  void ended.then(() => (done = true));
  while (!done && eventCount(p.root) < after) await new Promise((resolve) => setTimeout(resolve, 3));
  if (done) return false;
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  if (done) return false;
  child.kill('SIGKILL');
  await ended;
  return true;
}

function ledgerOf(p: LoopProject, runId: string) {
  const db = p.ledger();
  try {
    return { run: db.run(runId), tasks: db.tasksOfRun(runId), events: db.events({ runId }).map((e) => e.event) };
  } finally {
    db.close();
  }
}

const succeededSteps = (tasks: readonly Task[]) => tasks.filter((t) => t.status === 'succeeded').map((t) => `${t.step} ${t.task}`).sort();

describe('prose resume after kill -9', () => {
  it('continues runs killed at many random points, running every session exactly once overall and losing no event', async () => {
    const reference = make();
    const whole = await reference.prose(['run', 'p.prose']);
    expect(whole.exitCode).toBe(0);
    const expected = ledgerOf(reference, reference.runId());
    const total = expected.events.length;
    const next = random(0xc401);
    let kills = 0;
    for (let chain = 0; chain < 3; chain++) {
      const p = make();
      let args = ['run', 'p.prose'];
      for (let round = 0; round < 4; round++) {
        const killed = await killAfter(p, args, 1 + Math.floor(next() * total), Math.floor(next() * 25));
        if (!killed) break;
        kills += 1;
        args = ['resume', p.runId(), '--no-input'];
      }
      const last = args[0] === 'run' ? { exitCode: 0 } : await p.prose(args);
      expect(last.exitCode).toBe(0);
      const { run, tasks, events } = ledgerOf(p, p.runId());
      expect(run.status).toBe('succeeded');
      expect(succeededSteps(tasks)).toEqual(succeededSteps(expected.tasks));
      for (const task of tasks.filter((t) => t.status !== 'succeeded')) expect([task.task, task.status, task.reason]).toEqual([task.task, 'failed', 'interrupted']);
      // A step that succeeded was never started again.
      for (const done of tasks.filter((t) => t.status === 'succeeded')) expect(tasks.filter((t) => t.step === done.step && t.id > done.id)).toEqual([]);
      const count = (type: string) => events.filter((e) => e.type === type).length;
      for (const type of new Set(expected.events.map((e) => e.type))) expect([type, count(type) >= expected.events.filter((e) => e.type === type).length]).toEqual([type, true]);
      expect(events.filter((e) => e.type === 'stage.finished')).toEqual([
        { type: 'stage.finished', stage: 'build', status: 'succeeded' },
        { type: 'stage.finished', stage: 'check', status: 'succeeded' },
      ]);
      expect(count('task.created')).toBe(tasks.length);
      expect(events.filter((e) => e.type === 'run.finished').at(-1)).toEqual({ type: 'run.finished', status: 'succeeded', reason: null });
    }
    expect(kills).toBeGreaterThanOrEqual(6);
  });
});

/** A fix loop: checkpoints, parallel sessions, a failing then passing gate, a rollback between. */
const FIX_AGENTS = ['builder', 'breaker', 'fixer'].map((name) => `  ${name}: { preset: scripted, answers: answers.yaml }\n`).join('');
const FIX_ANSWERS = [
  'builder:\n  "*": { output: built, delay_ms: 60, files: { "lib/built.txt": "built\\n" } }',
  `breaker:\n  "*": { output: broke, delay_ms: 40, files: { "src/math.js": ${JSON.stringify(BROKEN_ADD)}, "junk.txt": "junk\\n" } }`,
  `fixer:\n  "*": { output: fixed, delay_ms: 40, files: { "src/math.js": ${JSON.stringify(FIXED_ADD)} } }`,
].join('\n');
const FIX_PROGRAM = [
  'parallel for c in ["a", "b", "c"]:',
  '  session: builder',
  '    prompt: "build {c}"',
  'checkpoint good "baseline"',
  'session: breaker',
  '  prompt: "Make add faster"',
  'let result = verify unit',
  'loop until result.passed (max: 3):',
  '  rollback',
  '  session: fixer',
  '    prompt: "Fix it"',
  '  result = verify unit',
  'checkpoint good "done"',
].join('\n');

/** Every file of the work tree but git's and the ledger's, with its content. */
function workTree(root: string, dir = ''): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (path === '.git' || path === '.choiros') return [];
    return entry.isDirectory() ? workTree(root, path) : [`${path}: ${readFileSync(join(root, path), 'utf8')}`];
  });
}

describe('prose resume after kill -9 in a fix loop', () => {
  it('ends with the work tree, the steps and the index of a run never killed, wherever the kills land (seeded: a rollback, sessions, a checkpoint)', async () => {
    const fixProject = () => {
      const p = loopProject({ config: `agents:\n${FIX_AGENTS}verify:\n  unit: { run: "node checks/tap.mjs", tap: true }\n`, program: FIX_PROGRAM, extra: { 'answers.yaml': FIX_ANSWERS } });
      projects.push(p);
      return p;
    };
    const reference = fixProject();
    expect((await reference.prose(['run', 'p.prose'])).exitCode).toBe(0);
    const expected = ledgerOf(reference, reference.runId());
    const next = random(0xf1c5);
    for (let chain = 0; chain < 2; chain++) {
      const p = fixProject();
      const index = readFileSync(join(p.root, '.git/index'));
      let args = ['run', 'p.prose'];
      for (let round = 0; round < 4; round++) {
        // Before the last event: a run killed after it finished has nothing left to resume.
        if (!(await killAfter(p, args, 1 + Math.floor(next() * (expected.events.length - 2)), Math.floor(next() * 40)))) break;
        args = ['resume', p.runId(), '--no-input'];
      }
      if (args[0] === 'resume') {
        const resumed = await p.prose(args);
        // The output, should it fail: which statement, after which kill.
        expect({ exitCode: resumed.exitCode, stdout: resumed.stdout, stderr: resumed.stderr }).toMatchObject({ exitCode: 0 });
      }
      const { run, tasks } = ledgerOf(p, p.runId());
      expect(run.status).toBe('succeeded');
      expect(succeededSteps(tasks)).toEqual(succeededSteps(expected.tasks));
      expect(workTree(p.root).sort()).toEqual(workTree(reference.root).sort());
      expect(readFileSync(join(p.root, '.git/index')).equals(index)).toBe(true);
      // No scratch folder left behind: the kept index, and its note when a checkpoint came last.
      expect(readdirSync(join(p.root, '.git/choiros')).filter((name) => name !== 'index.note')).toEqual(['index']);
    }
  });
});

describe('a run whose process was killed', () => {
  it('shows as interrupted, with resume as the next action, and resumes', async () => {
    const p = make(PROGRAM, 'default:\n  "*": { output: done, delay_ms: 400 }\n');
    expect(await killAfter(p, ['run', 'p.prose'], 8, 50)).toBe(true);
    const id = p.runId();
    expect(ledgerOf(p, id).run.status).toBe('running');
    const play = JSON.parse((await p.choiros(['play', 'status', '--run', id, '--json'])).stdout) as { status: string; next_action: { kind: string; command: string } };
    expect([play.status, play.next_action.kind, play.next_action.command]).toEqual(['interrupted', 'resume', `prose resume ${id}`]);
    expect(ledgerOf(p, id).run.reason).toContain('its process ended before the run did');
    const resumed = await p.prose(['resume', id, '--no-input']);
    expect([resumed.exitCode, ledgerOf(p, id).run.status]).toEqual([0, 'succeeded']);
  });

  it('is not called interrupted while its process lives', async () => {
    const p = make(PROGRAM, 'default:\n  "*": { output: done, delay_ms: 300 }\n');
    const child = p.spawnProse(['run', 'p.prose']);
    const ended = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => eventCount(p.root) > 6, 20_000, 'the run to start');
    const play = JSON.parse((await p.choiros(['play', 'status', '--run', p.runId(), '--json'])).stdout) as { status: string };
    expect(play.status).toBe('running');
    expect(await ended).toBe(0);
    expect(ledgerOf(p, p.runId()).run.status).toBe('succeeded');
  });
});

describe('a run killed while a gate runs', () => {
  it('ends the gate’s processes before resuming, so an orphaned test run never overlaps the next one', async () => {
    // A gate that notes when it starts and when it is done, outside the work tree ($HOME is the fixture's base).
    const slow = [
      "import { appendFileSync } from 'node:fs';",
      "const log = `${process.env.HOME}/gate.log`;",
      'appendFileSync(log, `started ${process.pid}\\n`);',
      "setTimeout(() => { appendFileSync(log, `finished ${process.pid}\\n`); console.log('TAP version 13\\nok 1 - slow\\n1..1'); }, 2500);",
    ].join('\n');
    const config = 'verify:\n  unit: { run: "node checks/slow.mjs", tap: true }\n';
    const p = loopProject({ config, program: 'let r = verify unit\noutput passed = r.passed\n', extra: { 'checks/slow.mjs': slow } });
    projects.push(p);
    const log = join(p.root, '..', 'gate.log');
    const lines = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
    const child = p.spawnProse(['run', 'p.prose']);
    const ended = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await waitFor(() => lines().length > 0, 20_000, 'the gate to start');
    child.kill('SIGKILL');
    await ended;
    const orphan = lines()[0]?.split(' ')[1];

    const resumed = await p.prose(['resume', p.runId(), '--no-input']);

    expect(resumed.exitCode).toBe(0);
    expect(lines().filter((line) => line.endsWith(` ${orphan}`))).toEqual([`started ${orphan}`]);
    expect(lines().filter((line) => line.startsWith('finished'))).toHaveLength(1);
  });
});

describe('run control across processes', () => {
  it('pauses after the current step when another process asks, and resumes from there', async () => {
    const p = make('session "one"\nsession "two"\nsession "three"\n', 'default:\n  "*": { output: done, delay_ms: 400 }\n');
    const child = p.spawnProse(['run', 'p.prose']);
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => eventCount(p.root) > 3 && p.runId() !== '', 20_000, 'the run');
    const id = p.runId();
    const asked = await p.choiros(['pause', id]);
    expect(asked.stdout).toContain(`Requested pause of ${id}`);
    expect(await exit).toBe(3);
    const paused = ledgerOf(p, id);
    expect(paused.run.status).toBe('paused');
    // After the step that was running when the request landed: the first, or on a busy machine
    // (the `choiros pause` process starting up) the second — never all three, never half a step.
    const done = paused.tasks.map((t) => `${t.task} ${t.status}`);
    expect(done.length === 1 || done.length === 2).toBe(true);
    expect(new Set(done)).toEqual(new Set(['session default succeeded']));
    const resumed = await p.prose(['resume', id]);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stdout).toContain('↺ session default (recorded, not run again)');
    expect(succeededSteps(ledgerOf(p, id).tasks)).toEqual(['1:1 session default', '2:1 session default', '3:1 session default']);
  });

  it('refuses to resume a changed program without asking, an unknown run, and a run that succeeded', async () => {
    const p = make('session "one"\ngate ok:\n  prompt: "Go on?"\nsession "two"\n');
    expect((await p.prose(['run', 'p.prose'])).exitCode).toBe(4);
    const id = p.runId();
    p.git('status');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(p.root, 'p.prose'), 'session "one"\ngate ok:\n  prompt: "Go on?"\nsession "two, changed"\n');
    const changed = await p.prose(['resume', id, '--no-input']);
    expect(changed.exitCode).toBe(2);
    expect(changed.stderr).toContain(`p.prose changed since ${id} started`);
    const unknown = await p.prose(['resume', 'run-nope']);
    expect([unknown.exitCode, unknown.stderr]).toEqual([2, expect.stringContaining("There is no run 'run-nope' in this project.")]);
    const pinned = await p.prose(['resume', id, 'components=[]']);
    expect([pinned.exitCode, pinned.stderr]).toEqual([2, expect.stringContaining('Inputs are pinned')]);
  });
});
