import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/ledger.js';
import { run } from '../../src/process/run.js';
import { PROSE, makeProject, type TestProject } from '../helpers/project.js';
import { waitFor } from '../helpers/wait.js';

/**
 * `prose run` on a real terminal: a tmux pane on a private socket, keys typed with send-keys,
 * the screen read with capture-pane (issue 5).
 */

const scripted = 'agents:\n  default: { preset: scripted, answers: answers.yaml }\n';
/** An input declared after the first session: PROSE.md says it "may also appear mid-program (asks then)". */
const midProgram = 'input who: "Who?"\nsession "Hello {who}"\ninput topic: "Which topic?"\nsession "Write about {topic} for {who}"\n  retry: 0\n';

let project: TestProject;

beforeAll(() => {
  if (!existsSync(join(PROSE, '../../dist/cli/prose/run-session.js'))) throw new Error('dist/ is missing or stale: run `npm run build` first');
});
beforeEach(() => {
  project = makeProject({ 'choiros.yaml': scripted, 'mid.prose': midProgram });
});
afterEach(async () => {
  await project.cleanup();
});

/** Starts `prose ARGS` in a fresh 60×30 pane under NO_COLOR; `screen()` reads it (with its colors), `keys()` types into it. */
async function onTerminal(args: string) {
  const line = `env NO_COLOR=1 '${process.execPath}' '${PROSE}' ${args}; echo "[exit $?]"; sleep 600`;
  await project.tmux(['new-session', '-d', '-s', 'run', '-x', '60', '-y', '30', '-c', project.root, '--', '/bin/sh', '-c', line]);
  const screen = () => project.tmux(['capture-pane', '-p', '-e', '-J', '-t', '=run:']).then((r) => r.stdout);
  return {
    screen,
    showing: (text: string | RegExp, what = String(text)) =>
      waitFor(async () => {
        const s = await screen();
        return (typeof text === 'string' ? s.includes(text) : text.test(s)) && s;
      }, 15_000, what),
    keys: (...keys: string[]) => project.tmux(['send-keys', '-t', '=run:', ...keys]),
  };
}

function withLedger<T>(read: (ledger: Ledger) => T): T {
  const ledger = Ledger.open(join(project.root, '.choiros/ledger.db'));
  try {
    return read(ledger);
  } finally {
    ledger.close();
  }
}

describe('an input in the middle of a program, on a terminal', () => {
  it('is asked when the run reaches it: the first session has run, and the answer reaches the later one', async () => {
    project.write('answers.yaml', 'default: ["Hi Ada.", "Tides rise."]\n');
    const term = await onTerminal('run mid.prose who=Ada');
    await term.showing('Which topic?', 'the prompt for topic');
    const [runId, before] = withLedger((l) => {
      const id = l.pageRuns(1).items[0]?.id ?? '';
      return [id, l.tasksOfRun(id).map((t) => [t.step, t.status])];
    });
    // The run was recorded and its first session finished before anyone was asked.
    expect(before).toEqual([['2:1', 'succeeded']]);
    await term.keys('-l', 'tides');
    await term.keys('Enter');
    const done = await term.showing(/\[exit \d+\]/, 'the run to end');
    expect(done).toContain('[exit 0]');
    withLedger((l) => {
      expect(l.run(runId)).toMatchObject({ status: 'succeeded', args: { who: 'Ada' } });
      expect(l.tasksOfRun(runId).map((t) => [t.step, t.status, (t.inputs as { prompt?: string }).prompt])).toEqual([
        ['2:1', 'succeeded', 'Hello Ada'],
        ['4:1', 'succeeded', 'Write about tides for Ada'],
      ]);
      const answered = l.events({ runId }).filter((e) => e.event.type === 'input');
      expect(answered.map((e) => e.event)).toEqual([expect.objectContaining({ type: 'input', site: '3:1', name: 'topic', value: 'tides' })]);
    });
  }, 60_000);

  it('is replayed by prose resume, without a terminal, from the answer the ledger kept', async () => {
    project.write('answers.yaml', 'default: ["Hi Ada.", { fail: "the agent crashed" }, "Tides rise."]\n');
    const term = await onTerminal('run mid.prose who=Ada');
    await term.showing('Which topic?', 'the prompt for topic');
    await term.keys('-l', 'tides');
    await term.keys('Enter');
    expect(await term.showing(/\[exit \d+\]/, 'the run to end')).toContain('[exit 1]');
    const runId = withLedger((l) => l.pageRuns(1).items[0]?.id ?? '');
    // The scripted agent's third answer: the resumed run calls it again for the failed session only.
    project.write('answers.yaml', 'default: ["Tides rise."]\n');
    const resumed = await run(process.execPath, [PROSE, 'resume', runId], { cwd: project.root, env: project.env, timeoutMs: 30_000 });
    expect([resumed.exitCode, resumed.stderr]).toEqual([0, '']);
    withLedger((l) => {
      const last = l.tasksOfRun(runId).at(-1);
      expect([last?.status, (last?.inputs as { prompt?: string }).prompt]).toEqual(['succeeded', 'Write about tides for Ada']);
    });
  }, 60_000);

  it('may be given to prose resume when the run stopped before reaching it, and is asked for before anything runs otherwise', async () => {
    project.write('answers.yaml', 'default: [{ fail: "the agent crashed" }]\n');
    project.write('early.prose', midProgram.replace('session "Hello {who}"\n', 'session "Hello {who}"\n  retry: 0\n'));
    const term = await onTerminal('run early.prose who=Ada');
    expect(await term.showing(/\[exit \d+\]/, 'the run to fail')).toContain('[exit 1]');
    const runId = withLedger((l) => l.pageRuns(1).items[0]?.id ?? '');
    project.write('answers.yaml', 'default: ["Hi Ada.", "Tides rise."]\n');
    const resume = (...args: string[]) => run(process.execPath, [PROSE, 'resume', runId, ...args], { cwd: project.root, env: project.env, timeoutMs: 30_000 });
    const refused = await resume();
    expect([refused.exitCode, refused.stderr]).toEqual([2, expect.stringContaining(`Missing input: topic, which ${runId} has not reached yet`)]);
    expect(withLedger((l) => l.tasksOfRun(runId).length)).toBe(1);
    const resumed = await resume('topic=tides');
    expect([resumed.exitCode, resumed.stderr]).toEqual([0, '']);
    withLedger((l) => {
      // Kept with the run's arguments: a later resume computes the same steps from it.
      expect(l.run(runId).args).toEqual({ who: 'Ada', topic: 'tides' });
      expect(l.tasksOfRun(runId).map((t) => (t.inputs as { prompt?: string }).prompt)).toEqual(['Hello Ada', 'Hello Ada', 'Write about tides for Ada']);
    });
  }, 60_000);

  it('is an error before anything starts without a terminal', async () => {
    const result = await run(process.execPath, [PROSE, 'run', 'mid.prose', 'who=Ada'], { cwd: project.root, env: project.env, timeoutMs: 30_000 });
    expect([result.exitCode, result.stderr]).toEqual([2, expect.stringContaining('Missing input: topic ("Which topic?"). Nothing was started.')]);
    expect(existsSync(join(project.root, '.choiros/ledger.db'))).toBe(false);
  });
});

describe('the statement tree on a terminal', () => {
  it('nests the running branches under their parallel, with states, in 60 columns and no colors under NO_COLOR', async () => {
    project.write('answers.yaml', 'default:\n  - { output: "api done", delay_ms: 3000 }\n  - { output: "ui done", delay_ms: 3000 }\n');
    project.write('tree.prose', 'phase build:\n  parallel:\n    api = session "Build the api with every endpoint the specification lists"\n    ui = session "Build the ui"\nphase ship:\n  exec "true"\n');
    const term = await onTerminal('run tree.prose');
    const live = (await term.showing('▶ ui = session default: Build the ui', 'the running branches')).split('\n');
    const at = live.findIndex((l) => l.startsWith('▶ phase build'));
    expect(live.slice(at, at + 6).map((l) => l.replace(/ \d+(ms|s)$/, ''))).toEqual([
      '▶ phase build',
      '  ▶ parallel:',
      expect.stringMatching(/^ {4}▶ api = session default: Build the api with e.*…$/),
      '    ▶ ui = session default: Build the ui',
      '· phase ship',
      '  · exec "true"',
    ]);
    const done = await term.showing(/\[exit \d+\]/, 'the run to end');
    expect(done).toContain('[exit 0]');
    for (const line of ['  ✓ parallel:', '    ✓ api = session default: Build the api', '✓ phase ship', '✓ run succeeded']) expect(done).toContain(line);
    for (const screen of [live.join('\n'), done]) {
      expect(screen).not.toContain('\u001b[');
      expect(screen.split('\n').filter((l) => [...l].length > 60)).toEqual([]);
    }
  }, 60_000);
});
