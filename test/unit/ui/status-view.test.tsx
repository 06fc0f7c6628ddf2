import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { SessionStatus, WindowStatus } from '../../../src/tmux/status.js';
import { StatusScreen } from '../../../src/ui/status-screen.js';
import { StatusView } from '../../../src/ui/status-view.js';

function window(overrides: Partial<WindowStatus>): WindowStatus {
  return { name: 'api', command: 'npm run dev', state: 'ready', pid: 4242, alive: true, ready: true, restarts: 0, exitCode: null, exitSignal: null, uptimeMs: 65_000, log: '/l/api.log', lastLine: 'listening on 8080', note: null, ...overrides };
}

const status: SessionStatus = {
  session: 'app',
  socket: 'choiros-app',
  running: true,
  supervisor: { alive: true, pid: 10 },
  windows: [
    window({}),
    window({ name: 'ui', state: 'backoff', pid: null, alive: false, ready: false, restarts: 2, exitCode: 1, uptimeMs: null, note: 'restarting in 2s' }),
    window({ name: 'e2e', state: 'idle', pid: null, alive: false, ready: false, uptimeMs: null, lastLine: null }),
  ],
};

async function frameChange(lastFrame: () => string | undefined, from: string | undefined): Promise<string> {
  for (const deadline = Date.now() + 5000; Date.now() < deadline; ) {
    const frame = lastFrame();
    if (frame !== undefined && frame !== from) return frame;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the frame never changed');
}

describe('StatusView', () => {
  it('shows each window with state, readiness, pid, restarts, uptime and last log line', () => {
    const { lastFrame } = render(<StatusView status={status} columns={100} />);
    const lines = (lastFrame() ?? '').split('\n');
    expect(lines[0]).toBe("Session 'app' (tmux -L choiros-app) · 1/3 ready · supervised");
    expect(lines[2]).toMatch(/^WINDOW\s+STATE\s+READY\s+PID\s+RESTARTS\s+UPTIME\s+LAST LOG LINE/);
    expect(lines[3]).toMatch(/^api\s+ready\s+yes\s+4242\s+0\s+1m\s+listening on 8080/);
    expect(lines[4]).toMatch(/^ui\s+backoff \(1\)\s+-\s+-\s+2\s+-\s+restarting in 2s/);
    expect(lines[5]).toMatch(/^e2e\s+idle\s+-\s+-\s+0\s+-/);
  });

  it('cuts the last log line to the terminal width', () => {
    const long = { ...status, windows: [window({ lastLine: 'x'.repeat(200) })] };
    const { lastFrame } = render(<StatusView status={long} columns={60} />);
    for (const line of (lastFrame() ?? '').split('\n')) expect(line.length).toBeLessThanOrEqual(60);
  });

  it('wraps the title and the project line at a separator on a narrow terminal, keeping every part', () => {
    const now = Date.parse('2026-11-22T12:00:00Z');
    const narrow = {
      ...status,
      socket: 'choiros-a-long-socket-name',
      git: { branch: 'main', lastCheckpoint: { name: 'checkpoint-20261122-115500', verdict: 'good' as const, date: '2026-11-22T11:55:00.000Z', message: 'green' } },
      run: { id: 'run-20261122-115000-abc123', status: 'running', program: 'prose/build.prose', startedAt: '2026-11-22T11:50:00.000Z' },
    };
    const lines = (render(<StatusView status={narrow} columns={60} now={now} />).lastFrame() ?? '').split('\n');
    expect(lines.slice(0, 4)).toEqual([
      "Session 'app' (tmux -L choiros-a-long-socket-name)",
      '  1/3 ready · supervised',
      'git main · checkpoint-20261122-115500 (good, 5m ago)',
      '  run run-20261122-115000-abc123 running',
    ]);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
  });

  it('says when the session is not running', () => {
    const { lastFrame } = render(<StatusView status={{ ...status, running: false }} columns={80} />);
    expect(lastFrame()).toBe("Session 'app' is not running (tmux -L choiros-app).");
  });
});

describe('StatusScreen', () => {
  it('refreshes while watching and quits on q', async () => {
    let calls = 0;
    const load = async () => {
      calls += 1;
      return { ...status, windows: [window({ restarts: calls })] };
    };
    const { lastFrame, stdin, frames } = render(<StatusScreen load={load} intervalMs={20} columns={100} />);
    const loading = await frameChange(lastFrame, undefined);
    expect(loading).toBe('Asking tmux…');
    const first = await frameChange(lastFrame, loading);
    expect(first).toMatch(/^api\s+ready\s+yes\s+4242\s+1\s/m);
    const second = await frameChange(lastFrame, first);
    expect(second).toMatch(/^api\s+ready\s+yes\s+4242\s+2\s/m);
    expect(second).toContain('q to quit');
    stdin.write('q');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const settled = frames.length;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(frames.length).toBe(settled);
  });

  it('redraws only when what it shows changes', async () => {
    let calls = 0;
    const load = async () => {
      calls += 1;
      return { ...status, windows: [window({ uptimeMs: 120_000 + calls * 1000, restarts: calls >= 4 ? 1 : 0 })] };
    };
    const { lastFrame, frames } = render(<StatusScreen load={load} intervalMs={10} columns={100} />);
    const first = await frameChange(lastFrame, 'Asking tmux…');
    const drawn = frames.length;
    await frameChange(lastFrame, first);
    expect(calls).toBeGreaterThanOrEqual(4);
    expect(frames.length).toBe(drawn + 1);
  });

  it('shows a load error instead of a table', async () => {
    const { lastFrame } = render(<StatusScreen load={async () => Promise.reject(new Error('tmux failed while listing panes'))} intervalMs={undefined} columns={80} />);
    expect(await frameChange(lastFrame, 'Asking tmux…')).toBe('tmux failed while listing panes');
  });
});

describe('the project line', () => {
  it('shows the branch, the last checkpoint with its verdict and age, and the current run', () => {
    const now = Date.parse('2026-11-22T12:00:00Z');
    const withProject = {
      ...status,
      git: { branch: 'main', lastCheckpoint: { name: 'checkpoint-20261122-115500', verdict: 'good' as const, date: '2026-11-22T11:55:00.000Z', message: 'green' } },
      run: { id: 'run-20261122-115000-abc123', status: 'running', program: 'prose/build.prose', startedAt: '2026-11-22T11:50:00.000Z' },
    };
    const { lastFrame } = render(<StatusView status={withProject} columns={120} now={now} />);
    expect((lastFrame() ?? '').split('\n')[1]).toBe('git main · checkpoint-20261122-115500 (good, 5m ago) · run run-20261122-115000-abc123 running');
    const bare = render(<StatusView status={{ ...withProject, git: { branch: null, lastCheckpoint: null }, run: null }} columns={120} now={now} />);
    expect((bare.lastFrame() ?? '').split('\n')[1]).toBe('git (detached) · no checkpoint yet');
  });
});
