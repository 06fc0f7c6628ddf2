/**
 * Building `-F` formats and parsing what tmux prints, kept apart from running tmux (after
 * libtmux). Fields are separated by US (0x1f) and records end with RS (0x1e), which tmux passes
 * through untouched and which no name or option value of ours contains.
 */

const FIELD = '\u001f';
const RECORD = '\u001e';

/** The user options choiros keeps on each pane: the supervisor's state lives in tmux itself. */
export const PaneOption = {
  window: '@choiros_window',
  state: '@choiros_state',
  ready: '@choiros_ready',
  restarts: '@choiros_restarts',
  failures: '@choiros_failures',
  startedAt: '@choiros_started_at',
  nextAt: '@choiros_next_at',
  exit: '@choiros_exit',
  logOffset: '@choiros_log_offset',
  spec: '@choiros_spec',
  note: '@choiros_note',
} as const;

/** Session options: which project a session belongs to, and the supervisor's config. */
export const SessionOption = {
  root: '@choiros_root',
  role: '@choiros_role',
} as const;

const PANE_FIELDS = {
  sessionId: 'session_id',
  sessionName: 'session_name',
  sessionRole: SessionOption.role,
  sessionRoot: SessionOption.root,
  windowId: 'window_id',
  windowIndex: 'window_index',
  windowName: 'window_name',
  paneId: 'pane_id',
  pid: 'pane_pid',
  dead: 'pane_dead',
  deadStatus: 'pane_dead_status',
  deadSignal: 'pane_dead_signal',
  deadTime: 'pane_dead_time',
  tag: PaneOption.window,
  state: PaneOption.state,
  ready: PaneOption.ready,
  restarts: PaneOption.restarts,
  failures: PaneOption.failures,
  startedAt: PaneOption.startedAt,
  nextAt: PaneOption.nextAt,
  exit: PaneOption.exit,
  logOffset: PaneOption.logOffset,
  spec: PaneOption.spec,
  note: PaneOption.note,
} as const;

type PaneField = keyof typeof PANE_FIELDS;
const FIELD_NAMES = Object.keys(PANE_FIELDS) as PaneField[];

const PANE_FORMAT = FIELD_NAMES.map((f) => `#{${PANE_FIELDS[f]}}`).join(FIELD) + RECORD;

export function paneFormat(): string {
  return PANE_FORMAT;
}

export type WindowState = 'waiting' | 'idle' | 'starting' | 'ready' | 'unhealthy' | 'backoff' | 'exited' | 'failed';
const STATES: ReadonlySet<string> = new Set(['waiting', 'idle', 'starting', 'ready', 'unhealthy', 'backoff', 'exited', 'failed']);

export interface PaneInfo {
  sessionId: string;
  sessionName: string;
  /** `supervisor` for the supervisor's own session, else empty. */
  sessionRole: string;
  sessionRoot: string;
  windowId: string;
  windowIndex: number;
  windowName: string;
  paneId: string;
  pid: number;
  dead: boolean;
  /** Exit status of a dead pane, when it exited normally. */
  deadStatus: number | undefined;
  /** Signal number of a dead pane, when a signal ended it. */
  deadSignal: number | undefined;
  /** When the pane died (epoch seconds). */
  deadTime: number | undefined;
  /** The choiros window this pane runs (the `@choiros_window` tag), or '' for foreign panes. */
  tag: string;
  state: WindowState | undefined;
  ready: boolean;
  restarts: number;
  failures: number;
  startedAt: number | undefined;
  nextAt: number | undefined;
  exit: string;
  logOffset: number;
  spec: string;
  note: string;
}

function int(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** Where each field sits in a record of paneFormat(). */
const FIELD_INDEX = Object.fromEntries(FIELD_NAMES.map((name, i) => [name, i])) as Record<PaneField, number>;

export function parsePanes(stdout: string): PaneInfo[] {
  const panes: PaneInfo[] = [];
  for (const record of stdout.split(`${RECORD}\n`)) {
    if (record.trim() === '') continue;
    // Read by position rather than through an object of every field: a live view and the
    // supervisor parse this every second, and the garbage is what makes an idle process collect.
    const values = record.split(FIELD);
    const raw = (name: PaneField): string => values[FIELD_INDEX[name]] ?? '';
    const state = raw('state');
    panes.push({
      sessionId: raw('sessionId'),
      sessionName: raw('sessionName'),
      sessionRole: raw('sessionRole'),
      sessionRoot: raw('sessionRoot'),
      windowId: raw('windowId'),
      windowIndex: int(raw('windowIndex')) ?? 0,
      windowName: raw('windowName'),
      paneId: raw('paneId'),
      pid: int(raw('pid')) ?? 0,
      dead: raw('dead') === '1',
      deadStatus: int(raw('deadStatus')),
      deadSignal: int(raw('deadSignal')),
      deadTime: int(raw('deadTime')),
      tag: raw('tag'),
      state: STATES.has(state) ? (state as WindowState) : undefined,
      ready: raw('ready') === '1',
      restarts: int(raw('restarts')) ?? 0,
      failures: int(raw('failures')) ?? 0,
      startedAt: int(raw('startedAt')),
      nextAt: int(raw('nextAt')),
      exit: raw('exit'),
      logOffset: int(raw('logOffset')) ?? 0,
      spec: raw('spec'),
      note: raw('note'),
    });
  }
  return panes;
}
