import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanLines, lastLine, rotateIfLarge, tailLines } from '../../../src/tmux/log-files.js';
import { followFiles } from '../../../src/tmux/log-follow.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'choiros-logs-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('log files', () => {
  it('cleans terminal output: escapes removed, progress redraws collapsed', () => {
    expect(cleanLines('\u001b[32mok\u001b[39m\r\n 10%\r 50%\r100%\n')).toEqual(['ok', '100%', '']);
  });

  it('reads the last lines and the last visible line', () => {
    const file = join(dir, 'api.log');
    writeFileSync(file, 'one\ntwo\n\u001b[1mthree\u001b[22m\n\n');
    expect(tailLines(file, 2)).toEqual(['\u001b[1mthree\u001b[22m', '']);
    expect(lastLine(file)).toBe('three');
    expect(lastLine(join(dir, 'missing.log'))).toBeUndefined();
  });

  it('rotates a log past its size, keeping numbered copies and the live file empty', () => {
    const file = join(dir, 'api.log');
    writeFileSync(file, 'a'.repeat(100));
    expect(rotateIfLarge(file, 200, 2)).toBe(false);
    appendFileSync(file, 'b'.repeat(150));
    expect(rotateIfLarge(file, 200, 2)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('');
    expect(readFileSync(`${file}.1`, 'utf8')).toHaveLength(250);
    writeFileSync(file, 'c'.repeat(300));
    rotateIfLarge(file, 200, 2);
    expect(readFileSync(`${file}.1`, 'utf8')).toBe('c'.repeat(300));
    expect(readFileSync(`${file}.2`, 'utf8')).toHaveLength(250);
    writeFileSync(file, 'd'.repeat(300));
    rotateIfLarge(file, 200, 2);
    expect(existsSync(`${file}.3`)).toBe(false);
  });

  it('renames the newest copy in as .1 last, after the older ones moved up, and leaves no temporary file', () => {
    const file = join(dir, 'api.log');
    for (let n = 1; n <= 4; n++) {
      appendFileSync(file, `line ${n}\n`);
      expect(rotateIfLarge(file, 1, 3)).toBe(true);
    }
    expect(readFileSync(file, 'utf8')).toBe('');
    expect([1, 2, 3].map((n) => readFileSync(`${file}.${n}`, 'utf8'))).toEqual(['line 4\n', 'line 3\n', 'line 2\n']);
    expect(existsSync(`${file}.4`)).toBe(false);
    expect(existsSync(`${file}.rotating`)).toBe(false);
  });

  it('follows appended lines, holds partial ones, and starts over after a rotation', async () => {
    const file = join(dir, 'api.log');
    writeFileSync(file, 'old\n');
    const seen: string[] = [];
    const controller = new AbortController();
    const done = followFiles([{ name: 'api', path: file }], (_n, lines) => seen.push(...lines), controller.signal, 10);
    const waitFor = async (n: number) => {
      for (let i = 0; i < 300 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 10));
    };
    appendFileSync(file, 'new\npart');
    await waitFor(1);
    expect(seen).toEqual(['new']);
    appendFileSync(file, 'ial\n');
    await waitFor(2);
    expect(seen).toEqual(['new', 'partial']);
    writeFileSync(file, 'x\n');
    await waitFor(3);
    expect(seen).toEqual(['new', 'partial', 'x']);
    controller.abort();
    await done;
  });
});

describe('startLogSection', () => {
  it('ends a partial line left by a dead process and returns where new output starts', async () => {
    const { startLogSection } = await import('../../../src/tmux/log-files.js');
    const file = join(dir, 'e2e.log');
    expect(startLogSection(file)).toBe(0);
    writeFileSync(file, 'hello\n$ ');
    expect(startLogSection(file)).toBe(9);
    expect(readFileSync(file, 'utf8')).toBe('hello\n$ \n');
    expect(startLogSection(file)).toBe(9);
  });
});
