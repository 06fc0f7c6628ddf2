import { describe, expect, it } from 'vitest';
import { GateSchema, type GateConfig } from '../../../src/config/schema.js';
import { describeTamper, isCheckConfig, isTestPath, tamperFindings, type TamperFinding } from '../../../src/verify/tamper.js';

const gates = (defs: Record<string, Record<string, unknown>>): Record<string, GateConfig> => Object.fromEntries(Object.entries(defs).map(([name, def]) => [name, GateSchema.parse(def)]));

function rawDefs(): Record<string, Record<string, unknown>> {
  return {
    unit: { run: 'npx vitest run --reporter=junit --outputFile=reports/junit.xml', junit: 'reports/junit.xml', test_threshold: 0.9 },
    coverage: { run: ['node', 'scripts/coverage.mjs'], lcov: 'coverage/lcov.info', min: 85 },
    lint: { run: 'npm run lint -- -f json', eslint_json: true, max_warnings: 0, env: { A: '1', B: '2' } },
  };
}

const before = gates(rawDefs());

describe('tamperFindings', () => {
  it('finds nothing when gates are unchanged and only source files changed', () => {
    expect(tamperFindings(before, gates(rawDefs()), ['src/math.ts', 'README.md', 'reports/junit.xml', 'coverage/lcov.info'])).toEqual([]);
  });

  it('reports a lowered threshold, a changed command, and added or removed gates', () => {
    const defs = rawDefs();
    defs.coverage = { ...defs.coverage, min: 50 };
    defs.unit = { ...defs.unit, run: 'npx vitest run --reporter=junit --outputFile=reports/junit.xml --bail 0 -t adds' };
    defs.e2e = { run: 'npx playwright test' };
    delete (defs as Partial<typeof defs>).lint;
    expect(tamperFindings(before, gates(defs), [])).toEqual([
      { kind: 'gate-changed', gate: 'coverage', keys: ['min'] },
      { kind: 'gate-added', gate: 'e2e' },
      { kind: 'gate-removed', gate: 'lint' },
      { kind: 'gate-changed', gate: 'unit', keys: ['run'] },
    ]);
  });

  it('does not mistake env written in another order for a change, but sees a new variable', () => {
    const defs = rawDefs();
    defs.lint = { ...defs.lint, env: { B: '2', A: '1' } };
    expect(tamperFindings(before, gates(defs), [])).toEqual([]);
    defs.lint = { ...defs.lint, env: { A: '1', B: '2', SKIP_SLOW: '1' } };
    expect(tamperFindings(before, gates(defs), [])).toEqual([{ kind: 'gate-changed', gate: 'lint', keys: ['env'] }]);
  });

  it('reports changed test files, test configuration and the files gates run, in path order', () => {
    const changed = ['src/math.ts', 'src/math.test.ts', 'vitest.config.ts', 'scripts/coverage.mjs', 'package.json', 'test/helpers/db.ts', 'src/__snapshots__/view.test.tsx.snap', './eslint.config.js'];
    expect(tamperFindings(before, before, changed)).toEqual([
      { kind: 'check-config', path: 'eslint.config.js' },
      { kind: 'gate-script', gate: 'lint', path: 'package.json' },
      { kind: 'gate-script', gate: 'coverage', path: 'scripts/coverage.mjs' },
      { kind: 'test-file', path: 'src/__snapshots__/view.test.tsx.snap' },
      { kind: 'test-file', path: 'src/math.test.ts' },
      { kind: 'test-file', path: 'test/helpers/db.ts' },
      { kind: 'check-config', path: 'vitest.config.ts' },
    ]);
  });

  it('resolves the files a gate runs against its cwd', () => {
    const nested = gates({ api: { run: 'sh ./check.sh', cwd: 'packages/api' } });
    expect(tamperFindings(nested, nested, ['packages/api/check.sh', 'check.sh'])).toEqual([{ kind: 'gate-script', gate: 'api', path: 'packages/api/check.sh' }]);
  });

  it('accepts missing gate maps on either side', () => {
    expect(tamperFindings(undefined, gates({ unit: { run: 'npm test' } }), [])).toEqual([{ kind: 'gate-added', gate: 'unit' }]);
    expect(tamperFindings(undefined, undefined, ['a.ts'])).toEqual([]);
  });
});
describe('isTestPath', () => {
  it.each(['src/a.test.ts', 'src/a.spec.js', 'pkg/a_test.go', 'tests/test_calc.py', 'conftest.py', 'test/unit/x.ts', 'app/__tests__/x.js', 'spec/models/user_spec.rb', 'e2e/login.ts', 'src/__snapshots__/a.snap', 'C:\\repo\\tests\\x.py'])('%s is a test file', (path) => {
    expect(isTestPath(path)).toBe(true);
  });

  it.each(['src/testing.ts', 'src/contest.ts', 'latest/x.ts', 'src/attest.py', 'docs/testing.md'])('%s is not', (path) => {
    expect(isTestPath(path)).toBe(false);
  });
});

describe('isCheckConfig', () => {
  it.each(['vitest.config.ts', 'vite.config.mjs', 'jest.config.js', '.nycrc', '.nycrc.json', '.c8rc.json', 'eslint.config.js', '.eslintrc.cjs', 'clippy.toml', '.clippy.toml', 'pytest.ini', 'tox.ini', '.coveragerc', 'packages/a/vitest.workspace.ts'])('%s configures a check', (path) => {
    expect(isCheckConfig(path)).toBe(true);
  });

  it.each(['src/config.ts', 'tsconfig.json', 'vitest.ts', 'Cargo.toml'])('%s does not', (path) => {
    expect(isCheckConfig(path)).toBe(false);
  });
});

describe('describeTamper', () => {
  it('says each finding in one line', () => {
    const findings: TamperFinding[] = [
      { kind: 'gate-added', gate: 'e2e' },
      { kind: 'gate-removed', gate: 'lint' },
      { kind: 'gate-changed', gate: 'coverage', keys: ['min', 'run'] },
      { kind: 'test-file', path: 'src/a.test.ts' },
      { kind: 'check-config', path: 'vitest.config.ts' },
      { kind: 'gate-script', gate: 'unit', path: 'package.json' },
    ];
    expect(findings.map(describeTamper)).toEqual([
      "gate 'e2e' was added",
      "gate 'lint' was removed",
      "gate 'coverage' changed: min, run",
      'test file changed: src/a.test.ts',
      'test, coverage or lint configuration changed: vitest.config.ts',
      "a file gate 'unit' runs changed: package.json",
    ]);
  });
});
