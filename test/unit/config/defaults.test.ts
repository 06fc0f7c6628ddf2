import { describe, expect, it } from 'vitest';
import { defaultWindows, detectGates, detectTestCommand } from '../../../src/config/defaults.js';
import { parseEnvFile } from '../../../src/config/env-file.js';
import { parseConfigText } from '../../../src/config/load.js';
import { starterConfig, yamlScalar } from '../../../src/config/starter.js';
import { facts } from '../../helpers/facts.js';

const commands = (f: ReturnType<typeof facts>) => Object.fromEntries(defaultWindows(f).map((w) => [w.name, w.command]));

describe('default windows', () => {
  it('are the six ChoirOS windows in order', () => {
    expect(defaultWindows(facts()).map((w) => w.name)).toEqual(['editor', 'api', 'ui', 'watcher', 'e2e', 'logs']);
  });

  it('take api and ui from package.json scripts, with the right package manager', () => {
    expect(commands(facts({ dev: 'vite', start: 'node server.js', e2e: 'playwright test' }))).toMatchObject({ api: 'npm run dev', ui: undefined, e2e: 'npm run e2e' });
    expect(commands(facts({ 'dev:api': 'x', 'dev:ui': 'y' }, ['package.json', 'pnpm-lock.yaml']))).toMatchObject({ api: 'pnpm run dev:api', ui: 'pnpm run dev:ui' });
    expect(commands(facts({ serve: 'x' }, ['package.json', 'yarn.lock']))).toMatchObject({ api: 'yarn run serve', ui: undefined });
  });

  it('open a shell when there is nothing to run, and run $EDITOR in the editor', () => {
    const windows = defaultWindows(facts(undefined, [], 'nvim'));
    expect(windows[0]).toMatchObject({ name: 'editor', command: 'nvim', restart: 'no' });
    expect(windows[1]).toMatchObject({ name: 'api', restart: 'no' });
    expect(windows[1]?.command).toBeUndefined();
  });

  it('use cargo for a Rust project', () => {
    expect(commands(facts(undefined, ['Cargo.toml'])).api).toBe('cargo run');
    expect(detectTestCommand(facts(undefined, ['Cargo.toml']))).toBe('cargo test');
  });

  it('start the watcher only when there is something to test (a test script, Cargo.toml, or watch.run)', async () => {
    expect(defaultWindows(facts()).find((w) => w.name === 'watcher')?.autostart).toBe(false);
    expect(defaultWindows(facts({ test: 'vitest' })).find((w) => w.name === 'watcher')?.autostart).toBeUndefined();
    const configured = await parseConfigText('watch: { run: make check }\n', 'choiros.yaml', facts());
    expect(configured.windows?.find((w) => w.name === 'watcher')?.autostart).toBe(true);
  });

  it('never auto-start e2e and never log the logs window', () => {
    const windows = defaultWindows(facts());
    expect(windows.find((w) => w.name === 'e2e')?.autostart).toBe(false);
    expect(windows.find((w) => w.name === 'logs')).toMatchObject({ command: 'choiros logs -f', log: false });
    expect(windows.find((w) => w.name === 'watcher')?.command).toBe('choiros watch');
  });
});

describe('the gates choiros init writes', () => {
  const gates = (f: ReturnType<typeof facts>) => Object.fromEntries(detectGates(f).map((g) => [g.name, g.gate]));

  it('run the test script, a coverage script whose report its command names, and the lint script', () => {
    expect(gates(facts({ test: 'vitest run', coverage: 'vitest run --coverage --coverage.reporter=lcov', lint: 'eslint .' }))).toEqual({
      unit: { run: 'npm test' },
      coverage: { run: 'npm run coverage', lcov: 'coverage/lcov.info', min: 85 },
      lint: { run: 'npm run lint -- --format json', eslint_json: true, max_warnings: 0 },
    });
    expect(gates(facts({ 'test:unit': 'jest', 'test:coverage': 'jest --coverage' }, ['package.json', 'pnpm-lock.yaml']))).toEqual({
      unit: { run: 'pnpm run test:unit' },
      coverage: { run: 'pnpm run test:coverage', lcov: 'coverage/lcov.info', min: 85 },
    });
    expect(gates(facts({ test: 'c8 --reporter=json-summary node --test', lint: 'biome check .' }, ['package.json', 'yarn.lock']))).toEqual({ unit: { run: 'yarn run test' }, lint: { run: 'yarn run lint' } });
    expect(gates(facts(undefined, ['Cargo.toml']))).toEqual({ unit: { run: 'cargo test', cargo: true } });
  });

  it('leave out what cannot pass or cannot be read: npm\u2019s placeholder test, a coverage report nobody names, eslint already formatted or chained', () => {
    expect(gates(facts({ test: 'echo "Error: no test specified" && exit 1', coverage: 'vitest run --coverage' }))).toEqual({});
    expect(gates(facts({ lint: 'eslint . && prettier --check .' })).lint).toEqual({ run: 'npm run lint' });
    expect(gates(facts({ lint: 'eslint -f stylish src' })).lint).toEqual({ run: 'npm run lint' });
    expect(detectTestCommand(facts({ test: 'echo "Error: no test specified" && exit 1' }))).toBeUndefined();
  });
});

describe('starter choiros.yaml', () => {
  it('defines the detected gates, valid, and shows the others as comments', async () => {
    const f = facts({ test: 'vitest run', lint: 'eslint .' });
    const text = starterConfig(f, 'my-app');
    const config = await parseConfigText(text, 'choiros.yaml', f);
    expect(config.verify).toMatchObject({ unit: { run: 'npm test' }, lint: { run: 'npm run lint -- --format json', eslint_json: true, max_warnings: 0 } });
    expect(Object.keys(config.verify ?? {})).toEqual(['unit', 'lint']);
    expect(text).toContain('  # coverage: { run: "npm run coverage", lcov: coverage/lcov.info, min: 85 }');
    const bare = starterConfig(facts(undefined, []), 'bare');
    expect((await parseConfigText(bare, 'choiros.yaml', facts(undefined, []))).verify).toBeUndefined();
    expect(bare).toContain('#   unit: { run: "npm test" }');
  });

  it('is valid and describes the detected windows', async () => {
    const f = facts({ dev: 'vite', test: 'vitest run' });
    const text = starterConfig(f, 'my-app');
    const config = await parseConfigText(text, 'choiros.yaml', f);
    expect(config.session).toBe('my-app');
    expect(config.windows?.map((w) => [w.name, w.command])).toEqual([
      ['editor', undefined],
      ['api', 'npm run dev'],
      ['ui', undefined],
      ['watcher', 'choiros watch'],
      ['e2e', undefined],
      ['logs', 'choiros logs -f'],
    ]);
    expect(config.watch.run).toBe('npm test');
    expect(config.windows?.find((w) => w.name === 'watcher')?.autostart).toBe(true);
  });

  it('is valid for a project with nothing detected (no package.json, no test command)', async () => {
    const f = facts(undefined, []);
    const text = starterConfig(f, 'bare');
    const config = await parseConfigText(text, 'choiros.yaml', f);
    expect(config.windows?.map((w) => w.name)).toEqual(['editor', 'api', 'ui', 'watcher', 'e2e', 'logs']);
    expect(text).toContain('# watch:');
    expect(config.windows?.find((w) => w.name === 'watcher')?.autostart).toBe(false);
    expect(text).toContain('nothing to test yet: set watch.run, then `choiros restart watcher`');
  });

  it('quotes scalars YAML would misread', () => {
    expect(yamlScalar('npm run dev')).toBe('npm run dev');
    expect(yamlScalar('yes')).toBe('"yes"');
    expect(yamlScalar('a: b')).toBe('"a: b"');
    expect(yamlScalar('echo #x')).toBe('"echo #x"');
    expect(yamlScalar('[x]')).toBe('"[x]"');
  });
});

describe('parseEnvFile', () => {
  it('reads KEY=value lines, quotes, export and comments, and names bad lines', () => {
    const text = '# comment\nexport A=1\nB="two words\\n"\nC=\'$literal\'\nD=plain # trailing\nnot a pair\n\nE=\n';
    expect(parseEnvFile(text)).toEqual({ values: { A: '1', B: 'two words\n', C: '$literal', D: 'plain', E: '' }, badLines: [6] });
  });
});
