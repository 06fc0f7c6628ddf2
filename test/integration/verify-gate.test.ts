import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GateSchema, type GateConfig } from '../../src/config/schema.js';
import { isAlive } from '../../src/process/tree.js';
import { runGate, type GateRunOptions } from '../../src/verify/gate.js';
import { runGates, selectGates } from '../../src/verify/verify.js';
import { waitFor } from '../helpers/wait.js';

const bin = (name: string) => fileURLToPath(new URL(`../fixtures/verify/bin/${name}`, import.meta.url));
const gate = (def: Record<string, unknown>): GateConfig => GateSchema.parse(def);

let root: string;
let options: GateRunOptions;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'choiros-verify-'));
  options = { root, logFile: join(root, 'logs', 'gate.log'), killGraceMs: 300 };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('runGate', () => {
  it('passes a command whose TAP on stdout shows every test passing, teeing its output to the log', async () => {
    const verdict = await runGate('unit', gate({ run: ['node', bin('tap.mjs'), '0'], tap: true }), options);
    expect(verdict).toMatchObject({ gate: 'unit', status: 'pass', passed: true, tests: { total: 3, passed: 3 }, failures: [], reasons: [] });
    expect(verdict.attempts).toHaveLength(1);
    expect(readFileSync(options.logFile, 'utf8')).toContain('ok 3 - divides');
  });

  it('fails with the failing tests and the error lines, after running the gate once more on the same tree', async () => {
    const verdict = await runGate('unit', gate({ run: `node ${bin('tap.mjs')} 2`, tap: true }), options);
    expect(verdict).toMatchObject({ status: 'fail', passed: false, reasons: ['2 of 3 tests failed'], tests: { total: 3, passed: 1, failed: 2 } });
    expect(verdict.failures).toEqual([
      { gate: 'unit', kind: 'test', test: 'adds', file: 'test/math.test.js', line: 10, message: 'expected 1 to be 2' },
      { gate: 'unit', kind: 'test', test: 'subtracts', file: 'test/math.test.js', line: 20, message: 'expected 2 to be 3' },
    ]);
    expect(verdict.excerpt).toEqual(['not ok 1 - adds', "error: 'expected 1 to be 2'", 'not ok 2 - subtracts', "error: 'expected 2 to be 3'", 'AssertionError: expected 1 to be 2', 'AssertionError: expected 2 to be 3']);
    expect(verdict.attempts.map((a) => [a.status, a.exit])).toEqual([
      ['fail', 'exited 1'],
      ['fail', 'exited 1'],
    ]);
    const log = readFileSync(options.logFile, 'utf8');
    expect(log).toContain('[choiros] gate unit failed (2 of 3 tests failed); running it again on the same tree');
    expect(log.match(/not ok 1 - adds/g)).toHaveLength(2);
  });

  it('calls fail-then-pass flaky, a failure unless flaky_is_pass says otherwise', async () => {
    const flaky = await runGate('net', gate({ run: ['node', bin('fail-once.mjs'), join(root, 'state-a')], tap: true }), options);
    expect(flaky).toMatchObject({
      status: 'flaky',
      passed: false,
      reasons: ['failed, then passed on a re-run: 1 of 2 tests failed'],
      failures: [{ test: 'receives in time', file: 'test/net.test.js', line: 7, message: 'timed out waiting for the socket' }],
      tests: { total: 2, passed: 2 },
    });
    const tolerated = await runGate('net', gate({ run: ['node', bin('fail-once.mjs'), join(root, 'state-b')], tap: true, flaky_is_pass: true }), options);
    expect(tolerated).toMatchObject({ status: 'flaky', passed: true });
  });

  it('reads JUnit and lcov files the command wrote and applies min', async () => {
    const run = (hit: number, mode = 'pass') => ['node', bin('write-reports.mjs'), 'reports/junit.xml', 'coverage/lcov.info', String(hit), mode];
    const def = { junit: 'reports/junit.xml', lcov: 'coverage/lcov.info', min: 85 };
    expect(await runGate('unit', gate({ run: run(9), ...def }), options)).toMatchObject({ status: 'pass', coverage: 90, tests: { total: 2, passed: 2 } });
    const low = await runGate('unit', gate({ run: run(8), ...def }), options);
    expect(low).toMatchObject({ status: 'fail', coverage: 80, reasons: ['coverage 80% is below the minimum 85%'] });
    const failing = await runGate('unit', gate({ run: run(9, 'fail'), ...def }), options);
    expect(failing).toMatchObject({ status: 'fail', reasons: ['1 of 2 tests failed'], failures: [{ test: 'cart > totals', file: 'src/cart.test.js', line: 12, message: 'expected 4 to be 5' }] });
  });

  it('never trusts a report the command did not write: left over, or copied in with its old time', async () => {
    mkdirSync(join(root, 'reports'));
    const green = '<testsuite><testcase name="ok"/></testsuite>';
    writeFileSync(join(root, 'reports', 'old.xml'), green);
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(join(root, 'reports', 'old.xml'), old, old);
    copyFileSync(join(root, 'reports', 'old.xml'), join(root, 'reports', 'junit.xml'));
    utimesSync(join(root, 'reports', 'junit.xml'), old, old);

    const leftOver = await runGate('unit', gate({ run: 'true', junit: 'reports/junit.xml' }), options);
    expect(leftOver).toMatchObject({ status: 'error', passed: false, attempts: [{ status: 'error' }] });
    expect(leftOver.reasons[0]).toMatch(/^JUnit report reports\/junit\.xml is stale: it was last written \d{4}-.*, before this run started$/);

    const copied = await runGate('unit', gate({ run: 'cp -p reports/old.xml reports/junit.xml', junit: 'reports/junit.xml' }), options);
    expect(copied.status).toBe('error');
    expect(copied.reasons[0]).toContain('is stale');

    const rewritten = await runGate('unit', gate({ run: `printf '%s' '${green}' > reports/junit.xml`, junit: 'reports/junit.xml' }), options);
    expect(rewritten).toMatchObject({ status: 'pass', tests: { total: 1, passed: 1 } });
  });

  it('makes a missing report an error when the command exited 0, and does not run it again', async () => {
    const verdict = await runGate('unit', gate({ run: 'echo done', junit: 'reports/junit.xml' }), options);
    expect(verdict).toMatchObject({ status: 'error', reasons: ['JUnit report reports/junit.xml was not written'], failures: [{ kind: 'gate', message: 'JUnit report reports/junit.xml was not written' }] });
    expect(verdict.attempts).toHaveLength(1);
  });

  it('ends a gate that hangs at its timeout, with its whole tree, as an error that is not re-run', async () => {
    const pidFile = join(root, 'child.pid');
    const verdict = await runGate('slow', gate({ run: `node ${bin('hang.mjs')} & echo $! > ${pidFile}; wait`, timeout: '1s', tap: true }), options);
    expect(verdict).toMatchObject({ status: 'error', passed: false, reasons: ['timed out after 1s'], tests: null });
    expect(verdict.attempts).toHaveLength(1);
    expect(verdict.durationMs).toBeLessThan(5000);
    await waitFor(() => !isAlive(Number(readFileSync(pidFile, 'utf8'))), 3000, 'the hanging test process to be ended');
  });

  it('makes a command that cannot start an error, argv or shell', async () => {
    expect(await runGate('unit', gate({ run: ['choiros-no-such-test-runner'] }), options)).toMatchObject({ status: 'error', reasons: [expect.stringMatching(/^could not start: .*ENOENT/)] });
    expect(await runGate('unit', gate({ run: 'choiros-no-such-test-runner --all' }), options)).toMatchObject({
      status: 'error',
      reasons: ['could not start: exited 127 (command not found)'],
      excerpt: [expect.stringContaining('not found')],
    });
  });

  it('runs in the gate’s cwd with its env, and passes argv words to the program untouched by a shell', async () => {
    mkdirSync(join(root, 'pkg'));
    const check = "const ok = process.env.GATE_MODE === 'ci' && process.cwd().endsWith('/pkg') && process.argv[1] === '$(touch pwned)'; console.log(ok ? '1..1\\nok 1 - env' : '1..1\\nnot ok 1 - env'); process.exitCode = ok ? 0 : 1;";
    const verdict = await runGate('env', gate({ run: ['node', '-e', check, '$(touch pwned)'], cwd: 'pkg', env: { GATE_MODE: 'ci' }, tap: true }), options);
    expect(verdict).toMatchObject({ status: 'pass', tests: { passed: 1 } });
    expect(existsSync(join(root, 'pkg', 'pwned'))).toBe(false);
  });

  it('is an error, not a pass, when canceled, and is not run again', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const verdict = await runGate('slow', gate({ run: ['node', bin('hang.mjs')] }), { ...options, signal: controller.signal });
    expect(verdict).toMatchObject({ status: 'error', reasons: ['canceled'] });
    expect(verdict.attempts).toHaveLength(1);
  });
});

describe('runGates', () => {
  it('runs the named gates in order and combines them into one verdict with a digest and a fingerprint', async () => {
    const gates = {
      unit: gate({ run: ['node', bin('tap.mjs'), '1'], tap: true }),
      coverage: gate({ run: ['node', bin('write-reports.mjs'), 'junit.xml', 'lcov.info', '9'], junit: 'junit.xml', lcov: 'lcov.info', min: 85 }),
      lint: gate({ run: ['node', '-e', 'console.log(JSON.stringify([{ filePath: process.cwd() + "/src/a.js", messages: [{ severity: 1, ruleId: "no-console", message: "Unexpected console statement.", line: 4, column: 3 }] }]))'], eslint_json: true, max_warnings: 5 }),
    };
    const verdict = await runGates(selectGates(gates, ['unit', 'coverage', 'lint']), { root, logDir: join(root, 'logs'), killGraceMs: 300 });
    expect(verdict).toMatchObject({ passed: false, status: 'fail', flaky: false, coverage: 90, warnings: 1 });
    expect(verdict.failures).toEqual([{ gate: 'unit', kind: 'test', test: 'adds', file: 'test/math.test.js', line: 10, message: 'expected 1 to be 2' }]);
    expect(verdict.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(verdict.digest.split('\n').slice(0, 3)).toEqual(['verify failed: unit fail; coverage pass, lint pass', expect.stringMatching(/^unit: fail — 1 of 3 tests failed \(exited 1, \d+ms\)$/), '  - adds (test/math.test.js:10): expected 1 to be 2']);
    expect(existsSync(join(root, 'logs', 'verify-coverage.log'))).toBe(true);

    const again = await runGates(selectGates(gates, ['unit']), { root, logDir: join(root, 'logs') });
    expect(again.fingerprint).toBe(verdict.fingerprint);
  });

  it('starts no gate once canceled', async () => {
    const controller = new AbortController();
    controller.abort();
    const verdict = await runGates([['unit', gate({ run: ['node', bin('tap.mjs')], tap: true })]], { root, logDir: join(root, 'logs'), signal: controller.signal });
    expect(verdict).toMatchObject({ passed: false, status: 'error', gates: [{ gate: 'unit', status: 'error', reasons: ['canceled before it started'], attempts: [] }] });
  });
});

describe('selectGates', () => {
  const gates = { unit: gate({ run: 'npm test' }), lint: gate({ run: 'npm run lint' }) };

  it('takes every gate in file order when none is named, else the named ones in the order named', () => {
    expect(selectGates(gates).map(([name]) => name)).toEqual(['unit', 'lint']);
    expect(selectGates(gates, ['lint', 'unit']).map(([name]) => name)).toEqual(['lint', 'unit']);
  });

  it('refuses an unknown gate, listing the known ones, and a config with no gates', () => {
    expect(() => selectGates(gates, ['e2e'])).toThrow(expect.objectContaining({ message: "verify: no gate named 'e2e'", hint: 'The gates in choiros.yaml are: unit, lint.' }));
    expect(() => selectGates(undefined)).toThrow('verify: choiros.yaml defines no gates');
  });
});
