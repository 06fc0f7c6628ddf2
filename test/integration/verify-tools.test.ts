import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GateSchema } from '../../src/config/schema.js';
import { runGates, selectGates } from '../../src/verify/verify.js';

/**
 * Gates over the real tools this machine has: node's test runner (TAP and lcov coverage) and
 * eslint (`-f json`), on a tiny project written to a temp dir.
 */

const eslint = fileURLToPath(new URL('../../node_modules/eslint/bin/eslint.js', import.meta.url));

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'choiros-verify-tools-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(root, 'src', 'cart.js'), "const currency = 'EUR';\n\nexport function total(items) {\n  let sum = 0;\n  for (const item of items) sum += item.price;\n  return sum;\n}\n\nexport function unused(x) {\n  return x * 2;\n}\n");
  writeFileSync(
    join(root, 'src', 'cart.test.js'),
    "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { total } from './cart.js';\n\ntest('sums prices', () => {\n  assert.equal(total([{ price: 2 }, { price: 3 }]), 5);\n});\n\ntest('counts tax', () => {\n  assert.equal(total([{ price: 10 }]), 11);\n});\n",
  );
  writeFileSync(join(root, 'eslint.config.js'), "export default [{ files: ['**/*.js'], rules: { 'no-unused-vars': 'warn', 'prefer-const': 'warn' } }];\n");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('gates over real tools', () => {
  it('reads node --test TAP and lcov coverage, and eslint JSON, into one verdict', async () => {
    const gates = {
      unit: GateSchema.parse({ run: ['node', '--test', '--test-reporter=tap', 'src/'], tap: true }),
      coverage: GateSchema.parse({
        run: ['node', '--test', '--experimental-test-coverage', '--test-reporter=lcov', '--test-reporter-destination=lcov.info', 'src/'],
        lcov: 'lcov.info',
        min: 95,
      }),
      lint: GateSchema.parse({ run: ['node', eslint, '-f', 'json', 'src'], eslint_json: true, max_warnings: 0 }),
    };
    const verdict = await runGates(selectGates(gates), { root, logDir: join(root, 'logs') });
    const [unit, coverage, lint] = verdict.gates;

    expect(unit).toMatchObject({ status: 'fail', tests: { total: 2, passed: 1, failed: 1 } });
    expect(unit?.failures).toEqual([{ gate: 'unit', kind: 'test', test: 'counts tax', file: 'src/cart.test.js', line: 10, message: 'Expected values to be strictly equal:\n10 !== 11' }]);

    // The coverage run fails too (same failing test), but what the gate reports is its own concern.
    expect(coverage).toMatchObject({ status: 'fail', coverage: (20 / 22) * 100, reasons: ['coverage 90.9% is below the minimum 95%'] });

    expect(lint).toMatchObject({ status: 'fail', warnings: 1, lintErrors: 0, reasons: ['1 lint warning, at most 0 allowed'] });
    expect(lint?.failures).toEqual([{ gate: 'lint', kind: 'lint', test: null, file: 'src/cart.js', line: 1, message: "warning no-unused-vars: 'currency' is assigned a value but never used." }]);

    expect(verdict).toMatchObject({ passed: false, status: 'fail', warnings: 1 });
    expect(verdict.digest).toContain('  - counts tax (src/cart.test.js:10): Expected values to be strictly equal: / 10 !== 11');
  });
});
