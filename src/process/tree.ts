import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  state: string;
}

/** Parses one `/proc/PID/stat` line; the command name may hold spaces and parentheses. */
export function parseStat(text: string): ProcessInfo | undefined {
  const close = text.lastIndexOf(')');
  const open = text.indexOf('(');
  if (close < 0 || open < 0) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const fields = text.slice(close + 2).split(' ');
  const [state, ppid, pgid, sid] = fields;
  if (state === undefined || ppid === undefined || pgid === undefined || sid === undefined) return undefined;
  return { pid, state, ppid: Number(ppid), pgid: Number(pgid), sid: Number(sid) };
}

/** Every process visible in /proc (Linux). Zombies are included: they still hold their pid. */
export function listProcesses(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const info = parseStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (info !== undefined) out.push(info);
    } catch {
      // The process ended between readdir and read.
    }
  }
  return out;
}

/**
 * The processes that belong to the given roots: the roots, everything descended from them, and
 * everything in their sessions (a pane's process is a session leader; a grandchild that was
 * re-parented to init still carries the session id). A root in `exited` has ended: its pid may
 * already belong to someone else, so only what is left in its session is taken.
 */
export function treeOf(roots: readonly number[], all: readonly ProcessInfo[] = listProcesses(), exited: ReadonlySet<number> = new Set()): ProcessInfo[] {
  const rootSet = new Set(roots);
  const selected = new Map<number, ProcessInfo>();
  for (const proc of all) {
    const isRoot = rootSet.has(proc.pid) && !exited.has(proc.pid);
    const inSession = rootSet.has(proc.sid) && !(exited.has(proc.sid) && proc.pid === proc.sid);
    if (isRoot || inSession) selected.set(proc.pid, proc);
  }
  let grew = true;
  while (grew) {
    grew = false;
    for (const proc of all) {
      if (!selected.has(proc.pid) && selected.has(proc.ppid)) {
        selected.set(proc.pid, proc);
        grew = true;
      }
    }
  }
  return [...selected.values()];
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // A zombie answers signal 0 but is already dead: only its parent's wait() is missing.
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return true;
  }
}

function signal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch {
    // Gone already, or never ours.
  }
}

export interface TerminateResult {
  /** Processes that ended after SIGTERM. */
  terminated: number[];
  /** Processes that needed SIGKILL. */
  killed: number[];
}

/**
 * What a terminal's processes get when it closes (SIGHUP: interactive shells ignore SIGTERM but
 * not this), plus the polite request to stop.
 */
export const HANGUP: readonly NodeJS.Signals[] = ['SIGHUP', 'SIGTERM'];

export interface TerminateOptions {
  /** Between the polite signals and SIGKILL. */
  graceMs: number;
  /** Sent first, in order (default SIGTERM). */
  signals?: readonly NodeJS.Signals[];
  /** Roots known to have exited already (see treeOf). */
  exited?: ReadonlySet<number>;
}

/** How long a SIGKILLed process gets to finish dying before `terminateTrees` returns anyway. */
const KILL_WAIT_MS = 2000;

/**
 * Ends whole process trees: the signals to every process group in the trees, then, after the
 * grace period, SIGKILL to whatever is left. Only the given roots' own trees are touched.
 */
export async function terminateTrees(roots: readonly number[], options: TerminateOptions): Promise<TerminateResult> {
  const { graceMs, signals = ['SIGTERM'] } = options;
  const victims = treeOf(roots, listProcesses(), options.exited).filter((p) => p.state !== 'Z');
  const pids = victims.map((p) => p.pid);
  for (const sig of signals) {
    for (const pgid of new Set(victims.map((p) => p.pgid))) {
      if (victims.some((p) => p.pid === pgid)) signal(-pgid, sig);
    }
    for (const pid of pids) signal(pid, sig);
  }

  const deadline = Date.now() + graceMs;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    alive = alive.filter(isAlive);
  }
  for (const pid of alive) signal(pid, 'SIGKILL');
  // SIGKILL cannot be refused, but a process takes a moment to die of it: the tree is reported
  // ended once it is gone, so that a caller never finds a process of it still there.
  const killDeadline = Date.now() + KILL_WAIT_MS;
  let dying = alive.filter(isAlive);
  while (dying.length > 0 && Date.now() < killDeadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    dying = dying.filter(isAlive);
  }
  const killedSet = new Set(alive);
  return { terminated: pids.filter((p) => !killedSet.has(p)), killed: alive };
}

/** The command line of a process, for messages ("port 8080 is held by pid 412: node server.js"). */
export function commandLineOf(pid: number): string | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const text = raw.split('\0').filter(Boolean).join(' ');
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}
