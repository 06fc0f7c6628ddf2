import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/process/run.js';
import { makeProject, parseJson, PROSE, type TestProject } from '../helpers/project.js';

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

describe('choiros init', () => {
  it('writes choiros.yaml from package.json, the starter program and a .gitignore entry', async () => {
    project = makeProject({
      'package.json': JSON.stringify({ scripts: { dev: 'vite', test: 'vitest run', 'test:e2e': 'playwright test' } }),
      '.gitignore': 'node_modules/',
    });
    const result = await project.choiros(['init']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('wrote choiros.yaml');
    expect(result.stdout).toContain(join('prose', 'agentic-build.prose'));
    expect(result.stdout).toContain('Next: git init (checkpoints are git objects) · choiros config check · choiros start --attach\n');
    const config = readFileSync(join(project.root, 'choiros.yaml'), 'utf8');
    expect(config).toContain('session: proj');
    expect(config).toContain('command: npm run dev');
    expect(config).toContain('command: npm run test:e2e');
    expect(config).toContain('run: npm test');
    expect(readFileSync(join(project.root, '.gitignore'), 'utf8')).toBe('node_modules/\n# choiros state (ledger, locks, caches)\n.choiros/\n');
    expect(existsSync(join(project.root, 'prose', 'agentic-build.prose'))).toBe(true);
    expect(JSON.parse(readFileSync(join(project.root, '.choiros', 'choiros.schema.json'), 'utf8')).title).toBe('choiros.yaml');

    const check = await project.choiros(['config', 'check']);
    expect(check.exitCode).toBe(0);
    expect(check.stdout).toContain('choiros.yaml: ok (6 windows)');
  });

  it('refuses to overwrite choiros.yaml without --force, and never duplicates the .gitignore entry', async () => {
    project = makeProject({ '.gitignore': '.choiros/\n', '.git/HEAD': 'ref: refs/heads/main\n' });
    const first = await project.choiros(['init']);
    expect([first.exitCode, first.stdout]).toEqual([0, expect.stringContaining('Next: choiros config check · choiros start --attach\n')]);
    const again = await project.choiros(['init']);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('choiros.yaml already exists.');
    expect(again.stderr).toContain('choiros init --force');
    expect((await project.choiros(['init', '--force', '--json'])).exitCode).toBe(0);
    expect(readFileSync(join(project.root, '.gitignore'), 'utf8')).toBe('.choiros/\n');
  });
});

describe('choiros config', () => {
  it('prints a JSON Schema that names every window key', async () => {
    project = makeProject();
    const schema = parseJson<{ $schema: string; properties: { windows: { items: { properties: Record<string, unknown>; additionalProperties: boolean } } } }>(await project.choiros(['config', 'schema']));
    expect(schema.$schema).toContain('json-schema.org');
    const window = schema.properties.windows.items;
    expect(Object.keys(window.properties)).toEqual(expect.arrayContaining(['name', 'command', 'cwd', 'env', 'env_file', 'ready', 'restart', 'max_restarts', 'depends_on']));
    expect(window.additionalProperties).toBe(false);
  });

  it('shows the resolved config with defaults and durations in milliseconds', async () => {
    project = makeProject({ 'choiros.yaml': 'windows:\n  - name: a\n    command: sleep 1\n    ready: { tcp: 9, timeout: 2s }\n' });
    const shown = parseJson<{ session: string; socket: string; windows: { ready: { timeout: number } }[] }>(await project.choiros(['config', 'show']));
    expect(shown.session).toBe('proj');
    expect(shown.socket).toBe(project.socket);
    expect(shown.windows[0]?.ready.timeout).toBe(2000);
  });

  it('checks a config with exit 2 and every problem', async () => {
    project = makeProject({ 'choiros.yaml': 'windows:\n  - name: a\n    env_file: missing.env\n  - name: b\n    restart: sometimes\n' });
    const result = await project.choiros(['config', 'check']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('windows[1].restart: expected one of no, on-failure, always, got "sometimes"');
    project.write('choiros.yaml', 'windows:\n  - name: a\n    env_file: missing.env\n');
    const envFile = await project.choiros(['config', 'check']);
    expect(envFile.exitCode).toBe(2);
    expect(envFile.stderr).toContain('windows[0].env_file: cannot read');
  });

  it('refuses an agent whose prompt would go into an interpreter\'s code, with exit 2 and the word it means', async () => {
    project = makeProject({ 'choiros.yaml': 'agents:\n  foo: { command: ["env", "PYTHONUTF8=1", "python3", "-c", "print(\'{prompt}\')"] }\n' });
    const result = await project.choiros(['config', 'check']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('agents.foo.command[4]: {prompt} inside the code that `python3 -c` runs would run as Python code; pass it as a separate argument after the code (the code reads it as `sys.argv[1]`), or send the prompt on stdin (`stdin: true`)');
    project.write('choiros.yaml', 'agents:\n  foo: { command: ["python3", "-c", "import sys; print(sys.argv[1])", "{prompt}"] }\n');
    expect((await project.choiros(['config', 'check'])).exitCode).toBe(0);
  });

  it('refuses a window cwd that is not a folder, with exit 2 and nothing started (tmux would quietly use the project root)', async () => {
    project = makeProject({ 'choiros.yaml': 'windows:\n  - name: a\n    command: sleep 100\n    cwd: nowhere\n  - name: b\n    command: sleep 100\n    cwd: choiros.yaml\n' });
    const result = await project.choiros(['start']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`windows[0].cwd: no folder ${project.root}/nowhere`);
    expect(result.stderr).toContain(`windows[1].cwd: ${project.root}/choiros.yaml is not a folder`);
    expect((await project.tmux(['list-sessions'])).exitCode).not.toBe(0);
    expect((await project.choiros(['config', 'check'])).exitCode).toBe(2);
  });

  it('names a --config file that does not exist, with exit 2', async () => {
    project = makeProject();
    const result = await project.choiros(['status', '--config', 'nope.yaml']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Cannot read the config file');
  });
});

describe('the command line', () => {
  it('has help for every command and a version', async () => {
    project = makeProject();
    const help = await project.choiros(['--help']);
    expect(help.exitCode).toBe(0);
    for (const command of ['init', 'start', 'attach', 'status', 'stop', 'restart', 'logs', 'watch', 'config']) expect(help.stdout).toContain(`choiros ${command}`);
    expect(help.stdout).not.toContain('supervise');
    const startHelp = await project.choiros(['start', '--help']);
    expect(startHelp.stdout).toContain('--attach');
    expect((await project.choiros(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('prints a completion script', async () => {
    project = makeProject();
    const result = await project.choiros(['completion']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('_choiros_yargs_completions');
  });

  it('exits 2 on a bad flag value', async () => {
    project = makeProject();
    const result = await project.choiros(['status', '--interval', 'often']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--interval: expected a duration of at least 100ms, got 'often'");
  });

  it('has a prose executable with help', async () => {
    const result = await run(process.execPath, [PROSE, '--help']);
    expect(result.exitCode).toBe(0);
    for (const command of ['run', 'check', 'fmt', 'resume']) expect(result.stdout).toContain(`prose ${command}`);
  });
});
