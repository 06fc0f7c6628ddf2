import { PassThrough } from 'node:stream';
import type { Io } from '../../src/cli/runner.js';

export interface Captured {
  io: Io;
  stdout(): string;
  stderr(): string;
}

/** In-memory streams for running a CLI program in-process. */
export function captureIo(overrides: Partial<Io> = {}): Captured {
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const io: Io = {
    cwd: process.cwd(),
    env: { NO_COLOR: '1', HOME: '/nonexistent', CHOIROS_HOME: '/nonexistent/choiros' },
    stdout,
    stderr,
    stdin: new PassThrough() as unknown as NodeJS.ReadStream,
    signal: new AbortController().signal,
    ...overrides,
  };
  return { io, stdout: () => out, stderr: () => err };
}
