import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleProject } from '../../src/demo/sample-project.js';
import { run } from '../../src/process/run.js';
import { parseEslintJson } from '../../src/verify/parsers/eslint.js';
import { parseLcov } from '../../src/verify/parsers/lcov.js';
import { parseTap } from '../../src/verify/parsers/tap.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'choiros-sample-'));
  for (const [path, text] of Object.entries(sampleProject({ apiPort: 0, uiPort: 0 }))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const node = (...args: string[]) => run(process.execPath, args, { cwd: dir, timeoutMs: 30_000 });

describe('the demo sample project', () => {
  it('passes its own unit and end-to-end tests at the baseline', async () => {
    const unit = await node('--test', '--test-reporter=tap', 'test/unit/');
    expect(unit.exitCode).toBe(0);
    const report = parseTap(unit.stdout);
    expect(report.kind === 'read' && report.report.passed).toBe(2);
    expect((await node('--test', 'test/e2e/')).exitCode).toBe(0);
  });

  it('reports coverage above the demo threshold and no lint warnings', async () => {
    // The package script, as the coverage gate runs it (node cannot write into a missing folder).
    const script = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.coverage ?? '';
    const coverage = await run('/bin/sh', ['-c', script], { cwd: dir, timeoutMs: 30_000 });
    expect(coverage.exitCode).toBe(0);
    const lcov = parseLcov(readFileSync(join(dir, 'coverage', 'lcov.info'), 'utf8'));
    expect(lcov.kind === 'read' && (lcov.report.percent ?? 0) >= 85).toBe(true);
    const lint = parseEslintJson((await node('scripts/lint.mjs')).stdout);
    expect(lint.kind === 'read' && lint.report.warnings).toBe(0);
  });

  it('builds into dist/', async () => {
    expect((await node('scripts/build.mjs')).stdout).toBe('built dist/ (src, public)\n');
  });
});
