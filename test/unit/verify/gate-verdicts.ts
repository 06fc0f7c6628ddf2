import type { Attempt, Failure, GateVerdict } from '../../../src/verify/types.js';

/** Gate verdicts as the runner builds them, for tests of what is made of them. */
export function gateVerdict(over: Partial<GateVerdict> & { gate: string }): GateVerdict {
  const status = over.status ?? 'pass';
  const attempt: Attempt = {
    status: status === 'flaky' ? 'fail' : status,
    exit: status === 'pass' ? 'exited 0' : 'exited 1',
    durationMs: 1000,
    reasons: over.reasons ?? [],
    failures: over.failures ?? [],
    tests: over.tests ?? null,
    coverage: over.coverage ?? null,
    warnings: over.warnings ?? null,
    lintErrors: null,
    excerpt: over.excerpt ?? [],
  };
  return {
    status,
    passed: status === 'pass',
    command: 'npm test',
    durationMs: 1000,
    attempts: status === 'flaky' ? [attempt, { ...attempt, status: 'pass', exit: 'exited 0' }] : [attempt],
    tests: null,
    coverage: null,
    warnings: null,
    lintErrors: null,
    failures: [],
    reasons: [],
    excerpt: [],
    logFile: `/logs/verify-${over.gate}.log`,
    ...over,
  };
}

export function testFailure(gate: string, test: string, file: string, line: number, message: string): Failure {
  return { gate, kind: 'test', test, file, line, message };
}
