import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_CACHE_KEEP, fastHash, loadProject } from '../../../src/config/load.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(yaml: string): { root: string; home: string; cacheDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'choiros-config-cache-'));
  made.push(root);
  writeFileSync(join(root, 'choiros.yaml'), yaml);
  const home = join(root, '.home');
  return { root, home, cacheDir: join(home, 'cache', 'config') };
}

const load = (root: string, home: string) => loadProject({ cwd: root, env: { CHOIROS_HOME: home } });

describe('the validated-config cache', () => {
  it('answers a second load from one file, and a changed config is parsed again', async () => {
    const { root, home, cacheDir } = project('session: first\n');
    expect((await load(root, home)).config.session).toBe('first');
    const [file] = readdirSync(cacheDir);
    expect(file).toMatch(/^[0-9a-f]{14}\.json$/);
    // The cached copy is what the second load returns: edit it, and the edit shows.
    const cached = JSON.parse(readFileSync(join(cacheDir, file ?? ''), 'utf8')) as { source: string; config: { session: string } };
    cached.config.session = 'from-the-cache';
    writeFileSync(join(cacheDir, file ?? ''), JSON.stringify(cached));
    expect((await load(root, home)).config.session).toBe('from-the-cache');

    writeFileSync(join(root, 'choiros.yaml'), 'session: second\n');
    expect((await load(root, home)).config.session).toBe('second');
    expect(readdirSync(cacheDir)).toHaveLength(2);
  });

  it('never answers with a file made from other content, even under the same name (a hash collision)', async () => {
    const { root, home, cacheDir } = project('session: mine\n');
    await load(root, home);
    const [file] = readdirSync(cacheDir);
    const path = join(cacheDir, file ?? '');
    const cached = JSON.parse(readFileSync(path, 'utf8')) as { source: string; config: { session: string } };
    writeFileSync(path, JSON.stringify({ source: `${cached.source} `, config: { ...cached.config, session: 'someone-else' } }));

    expect((await load(root, home)).config.session).toBe('mine');
  });

  it('keeps the most recently written files, CONFIG_CACHE_KEEP of them', async () => {
    const { root, home, cacheDir } = project('session: kept\n');
    mkdirSync(cacheDir, { recursive: true });
    const old = Array.from({ length: CONFIG_CACHE_KEEP + 5 }, (_, i) => `${String(i).padStart(14, '0')}.json`);
    old.forEach((name, i) => {
      writeFileSync(join(cacheDir, name), '{}');
      // The first ones written longest ago.
      utimesSync(join(cacheDir, name), new Date(Date.now() - (old.length - i) * 60_000), new Date(Date.now() - (old.length - i) * 60_000));
    });

    expect((await load(root, home)).config.session).toBe('kept');

    const left = readdirSync(cacheDir);
    expect(left).toHaveLength(CONFIG_CACHE_KEEP);
    // The six oldest went; the file just written stayed.
    for (const name of old.slice(0, 6)) expect(left).not.toContain(name);
    expect(left).toContain(old[old.length - 1]);
    expect(left.filter((name) => !old.includes(name))).toHaveLength(1);
  });

  it('names files by a hash that follows every character', () => {
    const names = new Set(['', 'a', 'b', 'ab', 'ba', 'session: a\n', 'session: b\n', 'x'.repeat(10_000), `${'x'.repeat(9_999)}y`].map(fastHash));
    expect(names.size).toBe(9);
    for (const name of names) expect(name).toMatch(/^[0-9a-f]{14}$/);
  });
});
