import { join } from 'node:path';
import type { GateConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { gateCommand, runGate, type GateRunOptions } from './gate.js';
import { gateFailure } from './judge.js';
import type { GateVerdict, Verdict } from './types.js';
import { combineVerdicts } from './verdict.js';

export interface VerifyOptions extends Omit<GateRunOptions, 'logFile'> {
  /** The run's log folder: each gate's output goes to `verify-<gate>.log` in it. */
  logDir: string;
}

/**
 * The gates a `verify` statement names, in the order named; no names means every gate in
 * choiros.yaml, in file order. An unknown name is the user's to fix, so it lists the known ones.
 */
export function selectGates(gates: Readonly<Record<string, GateConfig>> | undefined, names: readonly string[] = []): Array<[string, GateConfig]> {
  const all = Object.entries(gates ?? {});
  if (names.length === 0) {
    if (all.length === 0) throw new UsageError('verify: choiros.yaml defines no gates', { hint: 'Add gates under `verify:` in choiros.yaml, for example `unit: { run: npm test }`.' });
    return all;
  }
  return names.map((name) => {
    const gate = gates?.[name];
    if (gate === undefined) {
      const known = all.map(([n]) => n);
      throw new UsageError(`verify: no gate named '${name}'`, { hint: known.length === 0 ? 'choiros.yaml defines no gates under `verify:`.' : `The gates in choiros.yaml are: ${known.join(', ')}.` });
    }
    return [name, gate];
  });
}

/**
 * Runs gates one after another (gates compete for the same cores and often for the same build
 * output) and combines their verdicts. Every gate runs even after one fails, so the digest tells
 * the whole story; after cancellation the remaining gates are not started.
 */
export async function runGates(gates: ReadonlyArray<readonly [string, GateConfig]>, options: VerifyOptions): Promise<Verdict> {
  const started = performance.now();
  const verdicts: GateVerdict[] = [];
  for (const [name, gate] of gates) {
    const logFile = join(options.logDir, `verify-${name}.log`);
    verdicts.push(options.signal?.aborted === true ? canceled(name, gate, logFile) : await runGate(name, gate, { ...options, logFile }));
  }
  return combineVerdicts(verdicts, performance.now() - started);
}

/** A gate that gave no answer (`error`): never a pass, with the reasons and failures given. */
export function unansweredVerdict(fields: Pick<GateVerdict, 'gate' | 'command' | 'logFile' | 'failures' | 'reasons'>): GateVerdict {
  return { ...fields, status: 'error', passed: false, durationMs: 0, attempts: [], tests: null, coverage: null, warnings: null, lintErrors: null, excerpt: [] };
}

function canceled(name: string, gate: GateConfig, logFile: string): GateVerdict {
  const reason = 'canceled before it started';
  return unansweredVerdict({ gate: name, command: gateCommand(gate), logFile, failures: [gateFailure(name, reason)], reasons: [reason] });
}
