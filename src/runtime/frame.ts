import type { Span } from '../prose/index.js';
import type { Env } from './env.js';
import type { ProseError, Site } from './errors.js';
import type { ProgramUnit } from './program.js';
import { position } from './step-key.js';
import type { Value } from './values.js';

/**
 * Where execution is: the scope, the program, the step-key prefix (loop iterations, parallel
 * branches and calls on the way here), the signal that cancels this path (a losing parallel
 * branch, Ctrl-C) and the phase it runs in. Frames are cheap objects, made anew when a path forks.
 */
export interface Frame {
  env: Env;
  /** The top-level scope of the program invocation: blocks see it, whoever calls them. */
  globals: Env;
  /** Inputs given to this program invocation (run arguments, or a call's arguments). */
  given: ReadonlyMap<string, Value>;
  unit: ProgramUnit;
  prefix: string;
  signal: AbortSignal;
  phase: string | null;
  /** Block and program calls on the way here (recursion is capped). */
  depth: number;
  /** The error a `catch` is handling, for a bare `throw` to rethrow. */
  caught: ProseError | undefined;
  /** `output` returns from the enclosing block, pipeline step or parallel-for body. */
  inBlock: boolean;
  /** The outputs of the program invocation this frame belongs to. */
  outputs: Map<string, Value>;
  /** The innermost loop's iteration, for judgements. */
  iteration: number;
}

export function site(frame: Frame, span: Span): Site {
  return { source: frame.unit.source, span };
}

/** The step key of a node in this frame. */
export function keyOf(frame: Frame, span: Span): string {
  return frame.prefix + position(frame.unit.source, span);
}

export function child(frame: Frame, changes: Partial<Frame>): Frame {
  return { ...frame, ...changes };
}
