import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/process/run.js';
import { commandLineOf, isAlive, listProcesses } from '../../src/process/tree.js';
import { TmuxClient } from '../../src/tmux/client.js';
import type { SessionStatus } from '../../src/tmux/status.js';
import { CHOIROS, makeProject, parseJson, type TestProject } from '../helpers/project.js';
import { waitFor } from '../helpers/wait.js';

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

async function status(p: TestProject): Promise<SessionStatus> {
  const result = await p.choiros(['status', '--json']);
  expect(result.exitCode).toBe(0);
  return parseJson<SessionStatus>(result);
}

function byName(s: SessionStatus, name: string) {
  const w = s.windows.find((x) => x.name === name);
  if (w === undefined) throw new Error(`no window ${name}`);
  return w;
}

async function paneList(p: TestProject): Promise<string[]> {
  const result = await p.tmux(['list-panes', '-a', '-F', '#{session_name}:#{window_index}:#{@choiros_window}:#{pane_id}']);
  return result.stdout.split('\n').filter(Boolean).sort();
}

const SIX_WINDOWS = `
session: six
windows:
  - name: editor
  - name: api
    command: sleep 600
  - name: ui
    command: sleep 600
  - name: watcher
    command: sleep 600
  - name: e2e
    command: echo e2e ran
    autostart: false
  - name: logs
    command: choiros logs -f
    log: false
`;

describe('choiros start', () => {
  it('creates six windows and reports them in status --json', async () => {
    project = makeProject({ 'choiros.yaml': SIX_WINDOWS });
    const started = await project.choiros(['start']);
    expect(started.stderr).toBe('');
    expect(started.exitCode).toBe(0);
    expect(started.stdout).toContain("Session 'six' started");

    const s = await waitFor(async () => {
      const current = await status(project as TestProject);
      return current.windows.filter((w) => w.ready).length === 5 ? current : undefined;
    }, 15_000, 'five ready windows');
    expect(s.session).toBe('six');
    expect(s.socket).toBe(project.socket);
    expect(s.supervisor.alive).toBe(true);
    expect(s.windows.map((w) => w.name)).toEqual(['editor', 'api', 'ui', 'watcher', 'e2e', 'logs']);
    const api = byName(s, 'api');
    expect(api).toMatchObject({ command: 'sleep 600', alive: true, ready: true, restarts: 0, exitCode: null, log: join(project.home, 'logs', 'six', 'api.log') });
    expect(isAlive(api.pid ?? -1)).toBe(true);
    expect(byName(s, 'e2e')).toMatchObject({ state: 'idle', alive: false, pid: null });
    expect(byName(s, 'logs').log).toBeNull();
    const windows = await project.tmux(['list-windows', '-t', '=six:', '-F', '#{window_index}:#{window_name}']);
    expect(windows.stdout.trim().split('\n')).toEqual(['0:editor', '1:api', '2:ui', '3:watcher', '4:e2e', '5:logs']);
  });

  it('repairs instead of duplicating when run again', async () => {
    project = makeProject({ 'choiros.yaml': SIX_WINDOWS });
    expect((await project.choiros(['start'])).exitCode).toBe(0);
    const before = await paneList(project);
    const again = await project.choiros(['start', '--json']);
    expect(again.exitCode).toBe(0);
    const report = parseJson<{ windows: { action: string }[]; supervisor: string }>(again);
    expect(report.windows.every((w) => w.action === 'keep')).toBe(true);
    expect(report.supervisor).toBe('keep');
    expect(await paneList(project)).toEqual(before);

    await project.tmux(['kill-window', '-t', '=six:2']);
    const repaired = parseJson<{ windows: { name: string; action: string }[] }>(await project.choiros(['start', '--json']));
    expect(repaired.windows.filter((w) => w.action !== 'keep')).toEqual([{ name: 'ui', action: 'create', state: 'starting', changed: false }]);
    expect((await paneList(project)).length).toBe(before.length);
  });

  it('restarts a window whose process dies, with its restart counted', async () => {
    project = makeProject({ 'choiros.yaml': SIX_WINDOWS });
    await project.choiros(['start']);
    const first = await waitFor(async () => {
      const api = byName(await status(project as TestProject), 'api');
      return api.ready ? api : undefined;
    }, 15_000, 'api ready');
    process.kill(first.pid ?? -1, 'SIGKILL');
    const restarted = await waitFor(async () => {
      const api = byName(await status(project as TestProject), 'api');
      return api.alive && api.pid !== first.pid ? api : undefined;
    }, 6000, 'api restarted');
    expect(restarted.restarts).toBe(1);
    const events = readFileSync(join(project.home, 'logs', 'six', 'supervisor.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; window: string; signal?: number });
    expect(events).toContainEqual(expect.objectContaining({ type: 'exited', window: 'api', signal: 9 }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'restarted', window: 'api', restarts: 1 }));
  });

  it('reports an exited window with its exit code when its policy says not to restart', async () => {
    project = makeProject({ 'choiros.yaml': 'windows:\n  - name: once\n    command: "echo bye; exit 3"\n    restart: "no"\n' });
    await project.choiros(['start']);
    const once = await waitFor(async () => {
      const w = byName(await status(project as TestProject), 'once');
      return w.state === 'exited' ? w : undefined;
    }, 10_000, 'an exited window');
    expect(once).toMatchObject({ alive: false, pid: null, exitCode: 3, lastLine: 'bye', restarts: 0 });
  });

  it('refuses to start when a declared port is taken, naming the holder, and starts nothing', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      project = makeProject({ 'choiros.yaml': `windows:\n  - name: api\n    command: sleep 600\n    ready: { http: "http://127.0.0.1:${port}/health" }\n` });
      const result = await project.choiros(['start']);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(`api (windows[0]): port ${port} is already in use by pid ${process.pid}`);
      expect(result.stderr).toContain('Nothing was started');
      expect((await project.tmux(['list-sessions'])).exitCode).not.toBe(0);
    } finally {
      server.close();
    }
  });

  it('rejects a broken config with its key path, exit 2, and starts nothing', async () => {
    project = makeProject({ 'choiros.yaml': 'windows:\n  - name: api\n    command: sleep 1\n    ready: { http: "localhost:8080" }\n' });
    const result = await project.choiros(['start']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('choiros.yaml:4:20: windows[0].ready.http: expected a URL');
    expect((await project.tmux(['list-sessions'])).exitCode).not.toBe(0);
  });

  it('starts dependents after their dependency is ready, probing http, tcp, log and exec', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    server.close();
    const httpServer = `node -e "setTimeout(() => require('http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1'), 700)"`;
    project = makeProject({
      'choiros.yaml': `windows:
  - name: api
    command: ${JSON.stringify(httpServer)}
    ready: { http: "http://127.0.0.1:${port}/health", timeout: 20s, interval: 200ms }
  - name: tcp
    command: sleep 600
    depends_on: [api]
    ready: { tcp: ${port} }
  - name: loggy
    command: "sleep 1; echo server listening; sleep 600"
    depends_on: [api]
    ready: { log: "listening$" }
  - name: flag
    command: "sleep 1; touch ready.flag; sleep 600"
    ready: { exec: "test -f ready.flag" }
`,
    });
    const result = await project.choiros(['start', '--wait']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/api: ready after/);
    const s = await status(project);
    expect(s.windows.map((w) => [w.name, w.state, w.ready])).toEqual([
      ['api', 'ready', true],
      ['tcp', 'ready', true],
      ['loggy', 'ready', true],
      ['flag', 'ready', true],
    ]);
    const events = readFileSync(join(project.home, 'logs', 'proj', 'supervisor.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; window: string });
    const order = events.map((e) => `${e.type}:${e.window}`);
    expect(order.indexOf('ready:api')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('started:tcp')).toBeGreaterThan(order.indexOf('ready:api'));
    expect(order.indexOf('started:loggy')).toBeGreaterThan(order.indexOf('ready:api'));
  });

  it('passes env and env_file to the window process', async () => {
    project = makeProject({
      'choiros.yaml': 'windows:\n  - name: show\n    command: "echo \\"$FROM_FILE/$FROM_ENV/$CHOIROS_WINDOW\\"; sleep 600"\n    env: { FROM_ENV: two }\n    env_file: .env\n',
      '.env': 'FROM_FILE=one\n',
    });
    await project.choiros(['start']);
    const line = await waitFor(async () => byName(await status(project as TestProject), 'show').lastLine ?? undefined, 10_000, 'output');
    expect(line).toBe('one/two/show');
  });

  it('refuses to adopt a session another folder started on the same socket', async () => {
    project = makeProject({ 'choiros.yaml': 'session: shared\nwindows:\n  - name: a\n    command: sleep 600\n' });
    await project.choiros(['start']);
    project.write('other/choiros.yaml', 'session: shared\nwindows:\n  - name: b\n    command: sleep 600\n');
    const result = await project.choiros(['start'], { cwd: join(project.root, 'other') });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`belongs to ${project.root}`);
  });
});

describe('choiros stop', () => {
  it('ends every process, including a grandchild that ignores SIGTERM, and the server', async () => {
    project = makeProject({
      'choiros.yaml': `windows:
  - name: stubborn
    command: "sh -c 'trap \\"\\" TERM HUP; echo child; sleep 600' & sleep 600"
  - name: plain
    command: sleep 600
`,
    });
    await project.choiros(['start']);
    await waitFor(async () => byName(await status(project as TestProject), 'stubborn').lastLine === 'child', 10_000, 'the grandchild');
    const panes = await project.tmux(['list-panes', '-a', '-F', '#{pane_pid}']);
    const roots = panes.stdout.split('\n').filter(Boolean).map(Number);
    const ours = listProcesses().filter((p) => roots.includes(p.sid));
    expect(ours.length).toBeGreaterThanOrEqual(5);

    const result = await project.choiros(['stop', '--grace', '500ms', '--json']);
    expect(result.exitCode).toBe(0);
    const report = parseJson<{ running: boolean; windows: number; killed: number }>(result);
    expect(report).toMatchObject({ running: true, windows: 2 });
    expect(report.killed).toBeGreaterThanOrEqual(1);
    for (const p of ours) expect(isAlive(p.pid)).toBe(false);
    expect((await project.tmux(['list-sessions'])).exitCode).not.toBe(0);
    // The server's socket file goes with it.
    expect(existsSync(new TmuxClient(project.socket, project.env).socketPath())).toBe(false);

    const again = await project.choiros(['stop']);
    expect(again.stdout).toContain('is not running');
  });
});

/** Pids whose command line is exactly `command`. */
function pidsRunning(command: string): number[] {
  return listProcesses()
    .filter((p) => p.state !== 'Z' && commandLineOf(p.pid) === command)
    .map((p) => p.pid);
}

function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** The one live process running exactly `command`, once there is one. */
function soleProcess(command: string, what: string): Promise<number> {
  return waitFor(() => {
    const pids = pidsRunning(command);
    return pids.length === 1 ? pids[0] : undefined;
  }, 10_000, what);
}

describe('processes that detach from their window', () => {
  it("ends a process that detached itself from its window, by the session's mark in its environment, and nothing of another session or server", async () => {
    const n = 40_000 + Math.floor(Math.random() * 20_000);
    const otherServer = `choiros-test-inner-${n}`;
    project = makeProject({
      'choiros.yaml': `windows:
  - name: detacher
    command: "setsid -f sleep ${n}; tmux -L ${otherServer} -f /dev/null new-session -d 'sleep ${n + 1}'; sleep 1000"
`,
    });
    const p = project;
    const strangers = [
      { CHOIROS_SESSION: 'someone-else', CHOIROS_TMUX_SOCKET: p.socket },
      { CHOIROS_SESSION: 'proj', CHOIROS_TMUX_SOCKET: 'another-socket' },
    ].map((mark, i) => spawn('sleep', [String(n + 2 + i)], { env: { ...p.env, ...mark }, detached: true, stdio: 'ignore' }));
    try {
      await p.choiros(['start']);
      const detached = await soleProcess(`sleep ${n}`, 'the detached sleep');
      const inner = await soleProcess(`sleep ${n + 1}`, 'the sleep under another tmux server');
      // It really left its window: another session, no parent of ours.
      const panes = await p.tmux(['list-panes', '-a', '-F', '#{pane_pid}']);
      const panePids = panes.stdout.split('\n').filter(Boolean).map(Number);
      const info = listProcesses().find((x) => x.pid === detached);
      expect(panePids).not.toContain(info?.sid);

      const result = await p.choiros(['stop', '--grace', '500ms']);
      expect(result.exitCode).toBe(0);
      expect(isAlive(detached)).toBe(false);
      expect(isAlive(inner)).toBe(true);
      for (const stranger of strangers) expect(isAlive(stranger.pid ?? -1)).toBe(true);
    } finally {
      killAll(strangers.map((s) => s.pid ?? -1));
      killAll(pidsRunning(`sleep ${n}`));
      await run('tmux', ['-L', otherServer, 'kill-server'], { env: p.env });
      rmSync(new TmuxClient(otherServer, p.env).socketPath(), { force: true });
    }
  });

  it('restart ends what the old instance of the window detached, and not what another window did', async () => {
    const n = 40_000 + Math.floor(Math.random() * 20_000);
    project = makeProject({
      'choiros.yaml': `windows:
  - name: a
    command: "setsid -f sleep ${n}; sleep 1000"
  - name: b
    command: "setsid -f sleep ${n + 1}; sleep 1000"
`,
    });
    const p = project;
    try {
      await p.choiros(['start']);
      const oldA = await soleProcess(`sleep ${n}`, "a's detached sleep");
      const b = await soleProcess(`sleep ${n + 1}`, "b's detached sleep");
      expect((await p.choiros(['restart', 'a'])).exitCode).toBe(0);
      expect(isAlive(oldA)).toBe(false);
      const newA = await soleProcess(`sleep ${n}`, "the new a's detached sleep");
      expect(newA).not.toBe(oldA);
      expect(isAlive(b)).toBe(true);
      expect((await p.choiros(['stop', '--grace', '500ms'])).exitCode).toBe(0);
      expect(pidsRunning(`sleep ${n}`)).toEqual([]);
      expect(pidsRunning(`sleep ${n + 1}`)).toEqual([]);
    } finally {
      killAll([...pidsRunning(`sleep ${n}`), ...pidsRunning(`sleep ${n + 1}`)]);
    }
  });
});

describe('choiros restart, logs and attach', () => {
  it('restarts one window in place: same pane, new process', async () => {
    project = makeProject({ 'choiros.yaml': SIX_WINDOWS });
    await project.choiros(['start']);
    const before = await waitFor(async () => {
      const w = byName(await status(project as TestProject), 'ui');
      return w.ready ? w : undefined;
    }, 10_000, 'ui ready');
    const panesBefore = await paneList(project);
    const result = await project.choiros(['restart', 'ui']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Restarted 'ui' \(pid \d+\)\.$/m);
    const after = byName(await status(project), 'ui');
    expect(after.pid).not.toBe(before.pid);
    expect(after.restarts).toBe(1);
    expect(isAlive(before.pid ?? -1)).toBe(false);
    expect(await paneList(project)).toEqual(panesBefore);
    const unknown = await project.choiros(['restart', 'nope']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("There is no window 'nope'");
  });

  it('says so when restarting a window of a stopped session starts the whole session', async () => {
    project = makeProject({ 'choiros.yaml': SIX_WINDOWS });
    const result = await project.choiros(['restart', 'api']);
    expect([result.exitCode, result.stdout]).toEqual([0, "Session 'six' was not running: started it, every window with 'api' (`choiros stop` ends it).\n"]);
    expect((await status(project)).windows.filter((w) => w.alive).map((w) => w.name)).toEqual(['editor', 'api', 'ui', 'watcher', 'logs']);
  });

  it('starts a window that is not auto-started when restarted', async () => {
    project = makeProject({ 'choiros.yaml': SIX_WINDOWS });
    await project.choiros(['start']);
    await project.choiros(['restart', 'e2e']);
    const line = await waitFor(async () => {
      const w = byName(await status(project as TestProject), 'e2e');
      return w.lastLine === 'e2e ran' ? w : undefined;
    }, 10_000, 'e2e output');
    expect(line.state).not.toBe('idle');
  });

  it('shows the log of one window and of all windows with prefixes', async () => {
    project = makeProject({ 'choiros.yaml': 'windows:\n  - name: a\n    command: "printf \'\\\\033[31mred\\\\033[0m\\\\nsecond\\\\n\'; sleep 600"\n  - name: b\n    command: "echo from-b; sleep 600"\n' });
    await project.choiros(['start']);
    await waitFor(async () => (await project?.choiros(['logs', 'b']))?.stdout.includes('from-b'), 10_000, 'b output');
    await waitFor(async () => (await project?.choiros(['logs', 'a']))?.stdout.includes('second'), 10_000, 'a output');
    const one = await project.choiros(['logs', 'a', '-n', '2']);
    expect(one.stdout).toBe('red\nsecond\n');
    const all = await project.choiros(['logs']);
    expect(all.stdout).toContain('a | second');
    expect(all.stdout).toContain('b | from-b');
    expect((await project.choiros(['logs', 'zzz'])).exitCode).toBe(2);
  });

  it('follows logs until interrupted', async () => {
    project = makeProject({ 'choiros.yaml': 'windows:\n  - name: tick\n    command: "for i in 1 2 3 4 5 6 7 8 9 10; do echo tick $i; sleep 0.3; done; sleep 600"\n' });
    await project.choiros(['start']);
    const follow = project.choiros(['logs', 'tick', '-f', '-n', '0'], { timeoutMs: 2500 });
    const result = await follow;
    expect(result.timedOut).toBe(true);
    expect(result.stdout).toMatch(/tick \d+\n/);
  });

  it('follows a log across several rotations without a gap or a repeat', async () => {
    project = makeProject({
      'choiros.yaml': `logs: { max_size: 2KiB, keep: 5 }
windows:
  - name: noisy
    command: |-
      i=0; while [ $i -lt 600 ]; do i=$((i+1)); printf 'line %05d ........................................\\n' $i; sleep 0.005; done; sleep 600
`,
    });
    await project.choiros(['start']);
    const follower = spawn(process.execPath, [CHOIROS, 'logs', 'noisy', '-f', '-n', '0'], { cwd: project.root, env: project.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    follower.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const log = join(project.home, 'logs', 'proj', 'noisy.log');
    try {
      await waitFor(() => output.includes('line 00600'), 60_000, 'the last line');
    } finally {
      follower.kill('SIGINT');
    }
    // Several rotations happened while the lines were followed.
    expect(existsSync(`${log}.3`)).toBe(true);
    const numbers = [...output.matchAll(/^line (\d{5}) /gm)].map((m) => Number(m[1]));
    const first = numbers[0] ?? 0;
    expect(numbers.length).toBeGreaterThan(200);
    expect(numbers).toEqual(Array.from({ length: 601 - first }, (_, i) => first + i));
  });

  it('refuses to attach without a terminal', async () => {
    project = makeProject({ 'choiros.yaml': SIX_WINDOWS });
    const result = await project.choiros(['attach']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('attach needs a terminal');
  });

  it('never attaches from start without a terminal, even with --attach', async () => {
    project = makeProject({ 'choiros.yaml': SIX_WINDOWS });
    const result = await project.choiros(['start', '--attach']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('Not attaching: there is no terminal');
  });
});

describe('choiros attach inside tmux', () => {
  it('switches the client instead of nesting when run from a pane of the same server', async () => {
    project = makeProject({ 'choiros.yaml': 'session: target\nwindows:\n  - name: a\n    command: sleep 600\n' });
    await project.choiros(['start']);
    const p = project;
    await p.tmux(['new-session', '-d', '-s', 'lobby', '-x', '100', '-y', '30', '-c', p.root, '--', '/bin/sh']);
    // A control-mode client stands in for a person's terminal attached to 'lobby'.
    const { spawn } = await import('node:child_process');
    const client = spawn('tmux', ['-L', p.socket, '-C', 'attach-session', '-t', '=lobby:'], { stdio: ['pipe', 'ignore', 'ignore'], env: p.env });
    try {
      // The supervisor keeps a control client on its own session; that one is not a person.
      const terminals = async () => (await p.tmux(['list-clients', '-F', '#{client_session}'])).stdout.split('\n').filter((l) => l !== '' && !l.endsWith('-supervisor'));
      await waitFor(async () => (await terminals()).join() === 'lobby', 10_000, 'the client');
      const command = `CHOIROS_HOME='${p.home}' CHOIROS_TMUX_SOCKET='${p.socket}' '${process.execPath}' '${CHOIROS}' attach`;
      await p.tmux(['send-keys', '-t', '=lobby:', command, 'Enter']);
      await waitFor(async () => (await terminals()).join() === 'target', 10_000, 'the switch');
      expect((await p.tmux(['list-sessions', '-F', '#{session_name}'])).stdout.split('\n').filter(Boolean).sort()).toEqual(['lobby', 'target', 'target-supervisor']);
    } finally {
      client.kill();
    }
  });
});

describe('choiros status beyond the windows', () => {
  it('reports the git branch, the last checkpoint and the current run', async () => {
    project = makeProject({ 'choiros.yaml': 'windows:\n  - name: a\n    command: sleep 600\n', 'README.md': 'hi\n' });
    const p = project;
    const { run } = await import('../../src/process/run.js');
    const git = (...args: string[]) => run('git', args, { cwd: p.root, env: { ...p.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    await git('init', '-q', '-b', 'trunk');
    await git('add', '.');
    await git('commit', '-qm', 'first');
    expect((await p.choiros(['checkpoint', '-m', 'baseline'])).exitCode).toBe(0);
    const { Ledger } = await import('../../src/ledger/ledger.js');
    const ledger = Ledger.open(join(p.root, '.choiros', 'ledger.db'));
    const runRow = ledger.createRun({ program: 'prose/build.prose', programHash: 'h' });
    ledger.close();

    const s = parseJson<SessionStatus & { git: { branch: string; lastCheckpoint: { name: string; message: string; verdict: string } }; run: { id: string; status: string } }>(await p.choiros(['status', '--json']));
    expect(s.running).toBe(false);
    expect(s.git.branch).toBe('trunk');
    expect(s.git.lastCheckpoint).toMatchObject({ message: 'baseline', verdict: 'unverified' });
    expect(s.git.lastCheckpoint.name).toMatch(/^checkpoint-\d{8}-\d{6}$/);
    expect(s.run).toMatchObject({ id: runRow.id, status: 'running' });
    const plain = await p.choiros(['status']);
    expect(plain.stdout).toContain(`git trunk · ${s.git.lastCheckpoint.name} (unverified, <1m ago) · run ${runRow.id} running`);
  });
});
