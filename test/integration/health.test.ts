import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/ledger.js';
import { run } from '../../src/process/run.js';
import { makeProject, parseJson, type TestProject } from '../helpers/project.js';

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const FILES = {
  'choiros.yaml': 'session: app\n',
  'README.md': '# app\n',
  'package.json': JSON.stringify({ name: 'app', dependencies: { left: '^1.0.0' }, devDependencies: { right: '2.0.0' } }),
  'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies: { left: '^1.0.0' }, devDependencies: { right: '2.0.0' } } } }),
  'prose/build.prose': 'phase build:\n  session "write it"\n',
  'data/users.csv': 'id,name\n1,"Ada, Countess"\n',
  'data/config.json': '{"ok": true}\n',
  'public/index.html': '<link href="style.css"><script src="/app.js"></script><a href="https://example.com">x</a>',
  'public/style.css': 'body{}',
  'public/app.js': '',
};

async function git(root: string, ...args: string[]): Promise<string> {
  const result = await run('git', args, { cwd: root, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  if (result.failed) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

async function repo(): Promise<TestProject> {
  project = makeProject(FILES);
  await git(project.root, 'init', '-q');
  await git(project.root, 'add', '-A');
  await git(project.root, 'commit', '-qm', 'start');
  return project;
}

interface HealthJson {
  score: number;
  status: string;
  parts: { name: string; score: number; problems: string[] }[];
  rollback: unknown;
}

describe('choiros health', () => {
  it('scores a sound project 100 and Healthy, and records the score in the ledger', async () => {
    const project = await repo();
    const result = await project.choiros(['health']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Health: 100.0 / 100 — Healthy');
    expect(result.stdout).toMatch(/Critical files\s+100%\s+×30%\s+5\/5 ok/);
    const ledger = Ledger.open(join(project.root, '.choiros', 'ledger.db'), { readonly: true });
    expect(ledger.events({ runId: 'health' }).map((e) => e.event)).toEqual([expect.objectContaining({ type: 'health', score: 100, status: 'healthy', checkpoint: null })]);
    ledger.close();
  });

  it('takes each broken part off by its weight and names what is wrong', async () => {
    const project = await repo();
    rmSync(join(project.root, 'README.md'));
    writeFileSync(join(project.root, 'data', 'users.csv'), 'id,name\n1\n');
    writeFileSync(join(project.root, 'public', 'index.html'), '<img src="missing.png"><link href="style.css">');
    writeFileSync(join(project.root, 'package.json'), JSON.stringify({ name: 'app', dependencies: { left: '^2.0.0' }, devDependencies: { right: '2.0.0' } }));
    const result = await project.choiros(['health', '--json']);
    const report = parseJson<HealthJson>(result);
    const part = (name: string) => report.parts.find((p) => p.name === name);
    expect(part('critical_files')).toMatchObject({ score: 80, problems: ['README.md is missing'] });
    expect(part('config')?.score).toBe(100);
    // package.json, package-lock.json, config.json and users.csv: one of four is broken (no ledger yet).
    expect(part('data')).toMatchObject({ score: 75, problems: ['data/users.csv: row 1 has 1 fields, the header 2'] });
    expect(part('assets')).toMatchObject({ score: 50, problems: ['public/index.html: missing.png not found'] });
    expect(part('dependencies')).toMatchObject({ score: 50, problems: ['left: package.json wants ^2.0.0, the lockfile has ^1.0.0'] });
    expect(report.score).toBe(24 + 25 + 15 + 7.5 + 5);
    expect(report.status).toBe('warning');
    expect(result.exitCode).toBe(0);
  });

  it('counts an invalid choiros.yaml and program against config validity and exits 1 when critical', async () => {
    const project = await repo();
    writeFileSync(join(project.root, 'choiros.yaml'), 'windows: 3\n');
    writeFileSync(join(project.root, 'prose', 'build.prose'), 'phase build:\n\tsession "x"\n');
    for (const f of ['README.md', 'package.json', 'package-lock.json']) rmSync(join(project.root, f));
    writeFileSync(join(project.root, 'data', 'config.json'), '{');
    const result = await project.choiros(['health', '--json']);
    const report = parseJson<HealthJson>(result);
    expect(report.parts.find((p) => p.name === 'config')).toMatchObject({ score: 0, problems: [expect.stringMatching(/^choiros.yaml: /), 'prose/build.prose:2:1: E005 indentation uses a tab: indent with spaces'] });
    expect(report.status).toBe('critical');
    expect(result.exitCode).toBe(1);
  });

  it('with --rollback-below picks the newest checkpoint whose recorded score was healthy', async () => {
    const project = await repo();
    await git(project.root, 'tag', '-a', 'checkpoint-20261122-100000', '-m', 'good');
    expect((await project.choiros(['health', '--checkpoint', 'checkpoint-20261122-100000'])).exitCode).toBe(0);
    rmSync(join(project.root, 'README.md'));
    rmSync(join(project.root, 'package.json'));
    await new Promise((resolve) => setTimeout(resolve, 1100)); // tag creation dates have one-second resolution
    await git(project.root, 'tag', '-a', 'checkpoint-20261122-110000', '-m', 'bad');
    writeFileSync(join(project.root, 'data', 'config.json'), '{');
    writeFileSync(join(project.root, 'data', 'users.csv'), 'id,name\n1\n');
    writeFileSync(join(project.root, 'public', 'index.html'), '<img src="gone.png">');
    const bad = parseJson<HealthJson>(await project.choiros(['health', '--json', '--checkpoint', 'checkpoint-20261122-110000']));
    expect(bad.status).toBe('warning');

    const healthy = await project.choiros(['health', '--rollback-below', '50']);
    expect(healthy.exitCode).toBe(0);
    expect(healthy.stderr).not.toContain('rolling back');

    const result = await project.choiros(['health', '--rollback-below', '95', '--json']);
    expect(result.exitCode).toBe(0);
    const rolled = parseJson<HealthJson>(result);
    expect(rolled.status).toBe('warning');
    expect(rolled.rollback).toMatchObject({ to: 'checkpoint-20261122-100000', score: 100, undo: expect.stringMatching(/^pre-rollback\/\d+$/) });
    // The tree is back at the healthy checkpoint; the rollback is undoable like any other.
    expect(existsSync(join(project.root, 'README.md'))).toBe(true);
    expect(parseJson<HealthJson>(await project.choiros(['health', '--json'])).status).toBe('healthy');
    expect((await project.choiros(['rollback', '--undo', '--yes'])).exitCode).toBe(0);
    expect(existsSync(join(project.root, 'README.md'))).toBe(false);
  });

  it('refuses to roll back when no checkpoint was ever healthy', async () => {
    const project = await repo();
    rmSync(join(project.root, 'README.md'));
    const result = await project.choiros(['health', '--rollback-below', '99']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('no checkpoint has a healthy recorded score to roll back to');
  });
});
