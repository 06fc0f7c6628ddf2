import { describe, expect, it } from 'vitest';
import { listeningInodes } from '../../../src/process/ports.js';
import { parseStat, treeOf, type ProcessInfo } from '../../../src/process/tree.js';

describe('parseStat', () => {
  it('reads pid, state, parent, group and session even when the name holds spaces and parentheses', () => {
    expect(parseStat('4242 (my (odd) cmd) S 1 4242 4240 0 -1 4194560')).toEqual({ pid: 4242, state: 'S', ppid: 1, pgid: 4242, sid: 4240 });
  });
});

describe('treeOf', () => {
  const procs: ProcessInfo[] = [
    { pid: 10, ppid: 1, pgid: 10, sid: 10, state: 'S' },
    { pid: 11, ppid: 10, pgid: 11, sid: 10, state: 'S' },
    { pid: 12, ppid: 11, pgid: 11, sid: 10, state: 'S' },
    { pid: 13, ppid: 1, pgid: 13, sid: 10, state: 'S' },
    { pid: 14, ppid: 1, pgid: 14, sid: 14, state: 'S' },
    { pid: 15, ppid: 12, pgid: 15, sid: 15, state: 'S' },
  ];

  it('takes the roots, their descendants and orphans still in their session, nothing else', () => {
    expect(treeOf([10], procs).map((p) => p.pid).sort()).toEqual([10, 11, 12, 13, 15]);
  });
});

describe('listeningInodes', () => {
  const table = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 55501 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 55502 1 0000000000000000 20 4 30 10 -1
   2: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 55503 1 0000000000000000 100 0 0 10 0`;

  it('finds only sockets listening on the port', () => {
    expect(listeningInodes(table, 8080)).toEqual(['55501']);
    expect(listeningInodes(table, 80)).toEqual(['55503']);
    expect(listeningInodes(table, 9999)).toEqual([]);
  });
});

describe('treeOf with an exited root', () => {
  const procs: ProcessInfo[] = [
    { pid: 20, ppid: 1, pgid: 20, sid: 20, state: 'S' },
    { pid: 21, ppid: 1, pgid: 21, sid: 20, state: 'S' },
    { pid: 22, ppid: 20, pgid: 22, sid: 22, state: 'S' },
  ];

  it('takes only the orphans left in its session, never a process that reused its pid', () => {
    expect(treeOf([20], procs, new Set([20])).map((p) => p.pid)).toEqual([21]);
  });
});
