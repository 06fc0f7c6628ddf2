import { paneFormat, type PaneInfo } from '../../src/tmux/format.js';

/** What tmux would print for panes whose fields are given by their tmux names (`pane_id`, `@choiros_state`). */
export function tmuxOutput(panes: ReadonlyArray<Record<string, string>>): string {
  const names = paneFormat()
    .replace(/\u001e$/, '')
    .split('\u001f')
    .map((f) => f.slice(2, -1));
  return panes.map((p) => names.map((n) => p[n] ?? '').join('\u001f') + '\u001e\n').join('');
}

/** A PaneInfo with sensible defaults: a live pane of session `app`. */
export function pane(overrides: Partial<PaneInfo> = {}): PaneInfo {
  return {
    sessionId: '$0',
    sessionName: 'app',
    sessionRole: '',
    sessionRoot: '/work/app',
    windowId: '@0',
    windowIndex: 0,
    windowName: overrides.tag ?? 'w',
    paneId: `%${overrides.windowIndex ?? 0}`,
    pid: 1000 + (overrides.windowIndex ?? 0),
    dead: false,
    deadStatus: undefined,
    deadSignal: undefined,
    deadTime: undefined,
    tag: '',
    state: 'ready',
    ready: true,
    restarts: 0,
    failures: 0,
    startedAt: 0,
    nextAt: undefined,
    exit: '',
    logOffset: 0,
    spec: '',
    note: '',
    ...overrides,
  };
}
