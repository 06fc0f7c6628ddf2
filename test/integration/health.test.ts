import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('with --rollback-below --yes rolls back to the newest checkpoint whose own tree is healthy, scoring the ones never scored', async () => {
    const project = await repo();
    expect((await project.choiros(['checkpoint', '-m', 'sound'])).exitCode).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // checkpoint dates have one-second resolution
    rmSync(join(project.root, 'README.md'));
    rmSync(join(project.root, 'package.json'));
    writeFileSync(join(project.root, 'data', 'config.json'), '{');
    writeFileSync(join(project.root, 'data', 'users.csv'), 'id,name\n1\n');
    writeFileSync(join(project.root, 'public', 'index.html'), '<img src="gone.png">');
    expect((await project.choiros(['checkpoint', '-m', 'broken'])).exitCode).toBe(0);
    const [broken, sound] = checkpointNames(project);

    // Critical (exit 1), but above the bar: nothing is scored or rolled back.
    const above = await project.choiros(['health', '--rollback-below', '20', '--yes']);
    expect([above.exitCode, above.stderr]).toEqual([1, '']);
    expect(existsSync(join(project.root, 'README.md'))).toBe(false);

    const result = await project.choiros(['health', '--rollback-below', '95', '--yes', '--json']);
    expect(result.exitCode).toBe(0);
    const rolled = parseJson<HealthJson>(result);
    expect(rolled.status).toBe('warning');
    expect(rolled.rollback).toMatchObject({ to: sound, score: 100, applied: true, undo: expect.stringMatching(/^pre-rollback\/\d+$/) });
    // Both checkpoints were scored by their own trees, newest first, and the scores kept.
    expect(checkpointScores(project)).toEqual([
      [broken, expect.any(Number)],
      [sound, 100],
    ]);
    expect(checkpointScores(project)[0]?.[1]).toBeLessThan(80);
    // The tree is back at the healthy checkpoint; the rollback is undoable like any other.
    expect(existsSync(join(project.root, 'README.md'))).toBe(true);
    expect(parseJson<HealthJson>(await project.choiros(['health', '--json'])).status).toBe('healthy');
    expect((await project.choiros(['rollback', '--undo', '--yes'])).exitCode).toBe(0);
    expect(existsSync(join(project.root, 'README.md'))).toBe(false);
    // A second rollback goes by the recorded scores: nothing is scored again.
    expect((await project.choiros(['health', '--rollback-below', '95', '--yes'])).exitCode).toBe(0);
    expect(checkpointScores(project)).toHaveLength(2);
  });

  it('refuses --rollback-below without --yes when there is no terminal to ask, before scoring or changing anything', async () => {
    const project = await repo();
    rmSync(join(project.root, 'README.md'));
    const result = await project.choiros(['health', '--rollback-below', '99']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Refusing --rollback-below without --yes: there is no terminal to ask for confirmation.');
    expect(result.stderr).toContain('Add --yes for unattended use');
    expect(existsSync(join(project.root, '.choiros', 'ledger.db'))).toBe(false);
  });

  it('rolls back with the default settings when choiros.yaml does not validate, and says so', async () => {
    const project = await repo();
    expect((await project.choiros(['checkpoint', '-m', 'sound'])).exitCode).toBe(0);
    writeFileSync(join(project.root, 'choiros.yaml'), 'windows: 3\n');
    rmSync(join(project.root, 'README.md'));
    rmSync(join(project.root, 'package.json'));
    const plain = parseJson<HealthJson>(await project.choiros(['health', '--json']));
    expect(plain.parts.find((p) => p.name === 'config')?.score).toBe(50);
    const result = await project.choiros(['health', '--rollback-below', '90', '--yes']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/choiros\.yaml is not valid \(.+\): rolling back with the default checkpoint settings; no window is restarted\./);
    expect(result.stderr).toContain('choiros rollback --undo');
    expect(readFileSync(join(project.root, 'choiros.yaml'), 'utf8')).toBe(FILES['choiros.yaml']);
    expect(existsSync(join(project.root, 'README.md'))).toBe(true);
  });

  it('scores a checkpoint by its own tree with --checkpoint, not by the work tree', async () => {
    const project = await repo();
    expect((await project.choiros(['checkpoint', '-m', 'sound'])).exitCode).toBe(0);
    const [sound] = checkpointNames(project);
    rmSync(join(project.root, 'README.md'));
    writeFileSync(join(project.root, 'choiros.yaml'), 'windows: 3\n');
    const scored = await project.choiros(['health', '--checkpoint', sound ?? '', '--json']);
    expect(parseJson<HealthJson & { checkpoint: string }>(scored)).toMatchObject({ score: 100, status: 'healthy', checkpoint: sound });
    expect(parseJson<HealthJson>(await project.choiros(['health', '--json'])).score).toBeLessThan(100);
    expect(checkpointScores(project)).toEqual([[sound, 100]]);
    const missing = await project.choiros(['health', '--checkpoint', 'checkpoint-19990101-000000']);
    expect([missing.exitCode, missing.stderr]).toEqual([2, expect.stringContaining("There is no checkpoint 'checkpoint-19990101-000000'.")]);
  });

  it('refuses to roll back when no checkpoint is healthy', async () => {
    const project = await repo();
    rmSync(join(project.root, 'README.md'));
    const result = await project.choiros(['health', '--rollback-below', '99', '--yes']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('no checkpoint is healthy to roll back to (there is none)');
  });
});

/** Checkpoint tags, newest first. */
function checkpointNames(project: TestProject): string[] {
  return execFileSync('git', ['tag', '--list', 'checkpoint-*', '--sort=-creatordate'], { cwd: project.root, encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** The scores recorded for checkpoints, in the order they were recorded. */
function checkpointScores(project: TestProject): Array<[string, number]> {
  const ledger = Ledger.open(join(project.root, '.choiros', 'ledger.db'), { readonly: true });
  try {
    return ledger.events({ runId: 'health' }).flatMap((e) => (e.event.type === 'health' && e.event.checkpoint !== null ? [[e.event.checkpoint, e.event.score] as [string, number]] : []));
  } finally {
    ledger.close();
  }
}
