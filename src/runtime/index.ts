/**
 * The `.prose` interpreter: a tree walker whose only non-deterministic edges are ports (agents,
 * oracle, inputs, clock, parallel completion order, journal, exec, verify, checkpoints, gates,
 * agent memory). `prose run` wires the real adapters; tests wire fakes.
 *
 *     const outcome = await runProgram({ unit: makeUnit('build.prose', parsed), inputs, ports, signal, onEvent });
 */
export type { Sampler } from './activity.js';
export { DEFAULT_LIMITS, type Limits, type Ports } from './context.js';
export { ProseError, RunStop, type StopReason } from './errors.js';
export type { EventSink, RunEvent, RunEventType, RunStatus, StepKind } from './events.js';
export { MemoryJournal, type JournalTask } from './memory-journal.js';
export { DefaultOracle, ScriptedOracle } from './oracles.js';
export type * from './ports.js';
export { makeUnit, type ProgramUnit } from './program.js';
export { MAIN_STAGE, runProgram, type RunOutcome, type RunRequest } from './run.js';
export { decodeValue, encodeValue, fromJson, Tagged, toPlain, toText, type Value } from './values.js';
