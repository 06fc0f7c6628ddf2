import type { IncomingMessage, ServerResponse } from 'node:http';
import { UsageError } from '../errors.js';
import { LedgerError, type Ledger } from '../ledger/ledger.js';
import type { Run } from '../ledger/model.js';
import type { CancelDecision } from '../loop/cancel.js';
import type { Caller } from './auth.js';
import { HttpError } from './http.js';

/** What every handler works with: one ledger connection, the redactor, the clock. */
export interface ApiContext {
  ledger: Ledger;
  /** Every value that leaves the server passes through here: secrets never appear in a response. */
  redact<T>(value: T): T;
  now(): number;
  /** Called after this server wrote to the ledger: live streams read the new events at once. */
  written(): void;
  artifactExists?: (path: string) => boolean;
  /** Whether a process is running the run now (and so reads the ledger's answers and requests itself). */
  runnerAlive(run: Run): boolean;
  /**
   * Continues a run that stopped for a human, in the background (`prose resume`); undefined when
   * this server cannot start one, and a person is told the command instead.
   */
  continueRun?: (runId: string) => { pid: number; log: string | null };
  /** What a cancel of the run does (loop/cancel.ts `cancelDecision`, as `choiros cancel` decides it), with this server's run lock. */
  cancelDecision(run: Run): CancelDecision;
  /** How long agents a cancelled run left running get between SIGTERM and SIGKILL. */
  stopGraceMs: number;
  /** Lines for the operator (already redacted): a run that could not be continued. */
  log(line: string): void;
}

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Readonly<Record<string, string>>;
  caller: Caller;
}

/** The ledger's refusals as HTTP: unknown ids 404, forbidden transitions 409, a bad cursor 400. */
export function toHttpError(error: unknown): unknown {
  if (error instanceof LedgerError) return new HttpError(error.code === 'not_found' ? 404 : 409, error.message);
  if (error instanceof UsageError && /cursor/i.test(error.message)) return new HttpError(400, `cursor: ${error.message}`);
  return error;
}

export function taskId(text: string | undefined): number {
  if (text === undefined || !/^\d{1,15}$/.test(text)) throw new HttpError(400, `id: expected a task id (a whole number), got '${text ?? ''}'`);
  return Number(text);
}
