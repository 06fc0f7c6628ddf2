import { appendFileSync, copyFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rotateIfLarge } from '../../../src/tmux/log-files.js';
import { LogFollower } from '../../../src/tmux/log-follow.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'choiros-follow-'));
  file = join(dir, 'api.log');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);
const append = (from: number, to: number) => appendFileSync(file, numbered(from, to).map((l) => `${l}\n`).join(''));
/** Rotates as the supervisor does, whatever the size. */
const rotate = (keep: number) => expect(rotateIfLarge(file, 1, keep)).toBe(true);

describe('LogFollower', () => {
  it('starts at the end of the file and returns only complete new lines', () => {
    append(1, 3);
    const follower = new LogFollower(file);
    expect(follower.poll()).toEqual([]);
    appendFileSync(file, 'line 4\nline ');
    expect(follower.poll()).toEqual(['line 4']);
    appendFileSync(file, '5\n');
    expect(follower.poll()).toEqual(['line 5']);
  });

  it('reads the rest of a rotated log from where it stopped, then the new file', () => {
    append(1, 3);
    const follower = new LogFollower(file);
    append(4, 5);
    expect(follower.poll()).toEqual(numbered(4, 5));
    append(6, 7);
    rotate(3);
    append(8, 9);
    expect(follower.poll()).toEqual(numbered(6, 9));
    expect(follower.poll()).toEqual([]);
  });

  it('reads every copy made between two looks, oldest first, each line once', () => {
    append(1, 2);
    rotate(5);
    const follower = new LogFollower(file);
    append(3, 10);
    expect(follower.poll()).toEqual(numbered(3, 10));
    append(11, 20);
    rotate(5);
    append(21, 30);
    rotate(5);
    append(31, 40);
    rotate(5);
    append(41, 45);
    expect(follower.poll()).toEqual(numbered(11, 45));
    append(46, 50);
    rotate(5);
    expect(follower.poll()).toEqual(numbered(46, 50));
  });

  it('joins a line that a rotation cut in two', () => {
    const follower = new LogFollower(file);
    appendFileSync(file, 'line 1\npar');
    rotate(2);
    appendFileSync(file, 'tial\n');
    expect(follower.poll()).toEqual(['line 1', 'partial']);
  });

  it('waits for the copy of a truncated log, then reads on from where it stopped', () => {
    append(1, 2);
    const follower = new LogFollower(file);
    append(3, 4);
    expect(follower.poll()).toEqual(numbered(3, 4));
    append(5, 6);
    // Caught between the truncation and the copy being renamed into place.
    copyFileSync(file, `${file}.rotating`);
    truncateSync(file, 0);
    append(7, 7);
    expect(follower.poll()).toEqual([]);
    renameSync(`${file}.rotating`, `${file}.1`);
    expect(follower.poll()).toEqual(numbered(5, 7));
  });

  it('starts over on a log truncated without a copy (keep: 0) once no copy comes', () => {
    append(1, 2);
    const follower = new LogFollower(file);
    append(3, 6);
    expect(follower.poll()).toEqual(numbered(3, 6));
    rotate(0);
    append(7, 8);
    const seen: string[] = [];
    for (let i = 0; i < 20; i++) seen.push(...follower.poll());
    expect(seen).toEqual(numbered(7, 8));
  });

  it('reads dropped copies whole rather than from a place in another file', () => {
    append(1, 2);
    rotate(1);
    const follower = new LogFollower(file);
    append(3, 4);
    expect(follower.poll()).toEqual(numbered(3, 4));
    append(5, 6);
    rotate(1);
    append(7, 8);
    rotate(1);
    append(9, 9);
    // 5 and 6 went with the copy that a later rotation replaced.
    expect(follower.poll()).toEqual(numbered(7, 9));
  });

  it('follows a file that does not exist yet', () => {
    const follower = new LogFollower(file);
    writeFileSync(file, 'line 1\n');
    expect(follower.poll()).toEqual(['line 1']);
  });
});
