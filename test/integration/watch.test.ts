import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/process/run.js';
import { isAlive } from '../../src/process/tree.js';
import { CHOIROS, makeProject, type TestProject } from '../helpers/project.js';
import { waitFor } from '../helpers/wait.js';

/** A tiny test runner: TAP-style counts from the file `value` ("ok" passes), slow when asked. */
const CHECK = `
const fs = require('fs');
// Written where the watcher does not look: a test run that changes watched files would cancel itself.
fs.mkdirSync('.choiros', { recursive: true });
fs.writeFileSync('.choiros/runner.pid', String(process.pid));
const value = fs.readFileSync('value', 'utf8').trim();
const delay = value.startsWith('slow') ? 4000 : 0;
setTimeout(() => {
  const ok = value.endsWith('ok');
  console.log(ok ? 'ok 1 - value' : 'not ok 1 - value');
  console.log('# pass ' + (ok ? 2 : 1));
  console.log('# fail ' + (ok ? 0 : 1));
  process.exit(ok ? 0 : 1);
}, delay);
`;

let project: TestProject | undefined;
let watcher: ChildProcess | undefined;
afterEach(async () => {
  if (watcher?.exitCode === null) watcher.kill('SIGKILL');
  await project?.cleanup();
  project = undefined;
});

function startWatcher(p: TestProject): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [CHOIROS, 'watch'], { cwd: p.root, env: p.env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  return { child, output: () => output };
}

describe('choiros watch', () => {
  it('runs the tests, re-runs them on change with a one-line summary, and stops on Ctrl-C', async () => {
    project = makeProject({ 'choiros.yaml': 'watch: { run: "node check.js", debounce: 100ms }\nwindows:\n  - name: w\n', 'check.js': CHECK, value: 'ok\n' });
    const w = startWatcher(project);
    watcher = w.child;
    await waitFor(() => /✓ 2 passed · [\d.]+s/.test(w.output()), 15_000, 'the first summary');
    expect(w.output()).toContain('ok 1 - value');

    project.write('value', 'broken\n');
    await waitFor(() => /✗ 1 failed, 1 passed · [\d.]+s/.test(w.output()), 15_000, 'a failing summary');
    expect(w.output()).toMatch(/── \d\d:\d\d:\d\d · node check\.js \(changed: value\)/);

    project.write('node_modules/x.js', 'ignored');
    project.write('value', 'ok\n');
    await waitFor(() => (w.output().match(/✓ 2 passed/g) ?? []).length === 2, 15_000, 'a passing summary again');
    expect(w.output()).not.toContain('node_modules');

    w.child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => w.child.on('exit', resolve));
    expect(code).toBe(130);
  });

  it('kills a run in flight when files change again', async () => {
    project = makeProject({ 'choiros.yaml': 'watch: { run: "node check.js", debounce: 100ms }\nwindows:\n  - name: w\n', 'check.js': CHECK, value: 'ok\n' });
    const w = startWatcher(project);
    watcher = w.child;
    await waitFor(() => w.output().includes('✓ 2 passed'), 15_000, 'the first summary');

    project.write('value', 'slow ok\n');
    const pidFile = join(project.root, '.choiros', 'runner.pid');
    const firstPid = Number(readFileSync(pidFile, 'utf8'));
    const slowPid = await waitFor(() => {
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : 0;
      return pid !== firstPid && isAlive(pid) ? pid : undefined;
    }, 10_000, 'the slow run');
    project.write('value', 'ok\n');
    await waitFor(() => w.output().includes('stopping the current run'), 10_000, 'the cancel notice');
    await waitFor(() => !isAlive(slowPid), 5000, 'the slow run to end');
    await waitFor(() => (w.output().match(/✓ 2 passed/g) ?? []).length === 2, 15_000, 'the re-run');
    w.child.kill('SIGINT');
    await new Promise((resolve) => w.child.on('exit', resolve));
  });

  it('never restarts for files its own runs write that git ignores, but does for a tracked file matching the ignore rules', async () => {
    project = makeProject({
      'choiros.yaml': 'watch: { run: "echo run; sleep 1; date > junit.xml", debounce: 100ms }\nwindows:\n  - name: w\n',
      '.gitignore': 'junit.xml\n*.log\n',
      'fixtures/keep.log': 'tracked\n',
      value: 'one\n',
    });
    const { root, env } = project;
    const git = (...args: string[]) => run('git', args, { cwd: root, env });
    expect((await git('init', '-q')).exitCode).toBe(0);
    expect((await git('add', '-f', 'fixtures/keep.log')).exitCode).toBe(0);
    const w = startWatcher(project);
    watcher = w.child;
    const summaries = () => (w.output().match(/✓ passed · [\d.]+s/g) ?? []).length;
    await waitFor(() => summaries() === 1, 15_000, 'the first summary');

    project.write('fixtures/keep.log', 'changed\n');
    await waitFor(() => summaries() === 2, 15_000, 'a run for the tracked file');
    expect(w.output()).toContain('(changed: fixtures/keep.log)');
    // Changes arrive in order: once a run for this one is done, the runs' own writes have been seen.
    project.write('value', 'two\n');
    await waitFor(() => summaries() === 3, 15_000, 'a run for the untracked file');

    expect(w.output().match(/^── .* · echo run/gm)).toHaveLength(3);
    expect(w.output()).not.toContain('changed: junit.xml');
    expect(w.output()).not.toContain('stopping the current run');
    w.child.kill('SIGINT');
    await new Promise((resolve) => w.child.on('exit', resolve));
  });

  it('stops restarting for a watched file every run writes itself, and says so', async () => {
    project = makeProject({ 'choiros.yaml': 'watch: { run: "date > out.txt; sleep 1", debounce: 100ms }\nwindows:\n  - name: w\n', value: 'one\n' });
    const w = startWatcher(project);
    watcher = w.child;
    const summaries = () => (w.output().match(/✓ passed/g) ?? []).length;
    // The first run may write before the watcher has looked at the folder: start one it sees.
    await waitFor(() => summaries() === 1, 15_000, 'the first summary');
    project.write('value', 'two\n');
    await waitFor(() => summaries() === 2, 20_000, 'a run that finishes');
    expect(w.output()).toContain('the test run itself changes out.txt: changes to it no longer start a run');
    expect(w.output().match(/stopping the current run \(changed: out\.txt\)/g)).toHaveLength(2);

    project.write('value', 'three\n');
    await waitFor(() => summaries() === 3, 15_000, 'a run for a real change');
    expect(w.output().match(/stopping the current run/g)).toHaveLength(2);
    expect(w.output().match(/^── .* · date > out\.txt; sleep 1/gm)).toHaveLength(5);
    w.child.kill('SIGINT');
    await new Promise((resolve) => w.child.on('exit', resolve));
  });

  it('says what to do when there is no test command', async () => {
    project = makeProject({ 'choiros.yaml': 'windows:\n  - name: w\n' });
    const result = await project.choiros(['watch']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('There is no test command to run.');
    expect(result.stderr).toContain('watch: { run:');
  });
});
