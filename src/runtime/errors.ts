import type { Source, Span } from '../prose/index.js';
import { Tagged, toText, type Value } from './values.js';

/** Where in which program something happened. */
export interface Site {
  source: Source;
  span: Span;
}

export type ProseErrorKind = 'throw' | 'assert' | 'session' | 'exec' | 'verify' | 'checkpoint' | 'rollback' | 'gate' | 'input' | 'type' | 'name' | 'depth' | 'parallel' | 'call';

/**
 * An error a program can catch (`try … catch as err`): a `throw`, a failed assertion, a session
 * whose retries and fallbacks are exhausted, a command that failed, a type error. Its value is
 * what `err` is bound to: the message, with `.kind`, `.step` and `.at` (path:line:col).
 */
export class ProseError extends Error {
  readonly kind: ProseErrorKind;
  readonly site: Site | undefined;
  /** What a `throw` threw, when it was not a plain message. */
  readonly thrown: Value | undefined;
  step: string | undefined;
  /** Caused by a hard cap (an agent's timeout): uncaught, the run stops at a limit rather than failing. */
  limit = false;

  constructor(kind: ProseErrorKind, message: string, site?: Site, thrown?: Value) {
    super(message);
    this.name = 'ProseError';
    this.kind = kind;
    this.site = site;
    this.thrown = thrown;
  }

  /** `path:line:col` of where it happened. */
  get where(): string | undefined {
    if (this.site === undefined) return undefined;
    const { line, column } = this.site.source.position(this.site.span.start);
    return `${this.site.source.path}:${line}:${column}`;
  }

  toValue(): Value {
    if (this.thrown instanceof Tagged && this.thrown.tag === 'error') return this.thrown;
    return new Tagged('error', this.message, { message: this.message, kind: this.kind, step: this.step ?? null, at: this.where ?? null, value: this.thrown ?? null });
  }

  /** The error a `throw err` in a catch block throws again: the same one. */
  static fromValue(value: Value, site: Site): ProseError {
    if (value instanceof Tagged && value.tag === 'error') {
      const kind = typeof value.fields.kind === 'string' ? (value.fields.kind as ProseErrorKind) : 'throw';
      return new ProseError(kind, toText(value), site, value);
    }
    return new ProseError('throw', toText(value), site, typeof value === 'string' ? undefined : value);
  }
}

export type StopReason = 'cancelled' | 'paused' | 'awaiting_approval' | 'limit';

/**
 * Ends the run without failing it, and no `catch` sees it: Ctrl-C or a cancel request, a pause
 * request, a gate no one can answer now, a hard cap. Recorded work stays recorded, so a later
 * `prose resume` continues where it stopped.
 */
export class RunStop extends Error {
  readonly reason: StopReason;

  constructor(reason: StopReason, message: string) {
    super(message);
    this.name = 'RunStop';
    this.reason = reason;
  }
}

/** `output` inside a block: returns its value from the block at once. */
export class BlockReturn {
  constructor(readonly value: Value) {}
}
