import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { commandLineOf } from './tree.js';

const LISTEN = '0A';

/** Socket inodes listening on `port`, from the text of /proc/net/tcp or /proc/net/tcp6. */
export function listeningInodes(procNetTcp: string, port: number): string[] {
  const inodes: string[] = [];
  for (const line of procNetTcp.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    if (local === undefined || fields[3] !== LISTEN) continue;
    const hexPort = local.slice(local.lastIndexOf(':') + 1);
    if (Number.parseInt(hexPort, 16) === port && fields[9] !== undefined) inodes.push(fields[9]);
  }
  return inodes;
}

export interface PortHolder {
  port: number;
  /** Undefined when the socket's owner is not visible to us (another user's process). */
  pid: number | undefined;
  command: string | undefined;
}

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function pidOwningInode(inodes: ReadonlySet<string>): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`));
        if (match?.[1] !== undefined && inodes.has(match[1])) return Number(entry);
      } catch {
        // The descriptor closed while we looked.
      }
    }
  }
  return undefined;
}

/** Who is listening on a TCP port on this machine, or undefined when the port is free. */
export function findPortHolder(port: number): PortHolder | undefined {
  const inodes = new Set([
    ...listeningInodes(readOr('/proc/net/tcp'), port),
    ...listeningInodes(readOr('/proc/net/tcp6'), port),
  ]);
  if (inodes.size === 0) return undefined;
  const pid = pidOwningInode(inodes);
  return { port, pid, command: pid === undefined ? undefined : commandLineOf(pid) };
}
