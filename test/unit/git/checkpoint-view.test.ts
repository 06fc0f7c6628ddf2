import { describe, expect, it } from 'vitest';
import { age, displayPath } from '../../../src/cli/commands/checkpoint-view.js';
import { windowsToRestart } from '../../../src/cli/commands/rollback.js';

describe('checkpoint wording', () => {
  it('says how old a checkpoint is in one short word', () => {
    const now = new Date(2026, 0, 30, 12);
    const ago = (ms: number) => age(new Date(now.getTime() - ms), now);
    expect(ago(5_000)).toBe('just now');
    expect(ago(5 * 60_000)).toBe('5m ago');
    expect(ago(3 * 3_600_000)).toBe('3h ago');
    expect(ago(2 * 86_400_000)).toBe('2d ago');
    expect(ago(-10_000)).toBe('just now');
  });

  it('quotes paths that would break a terminal line', () => {
    expect(displayPath('src/app.ts')).toBe('src/app.ts');
    expect(displayPath('new\nline')).toBe('"new\\nline"');
  });

  it('restarts api and ui after a rollback unless a window says otherwise', () => {
    const window = (name: string, restart_on_rollback?: boolean) => ({ name, ...(restart_on_rollback === undefined ? {} : { restart_on_rollback }) });
    const config = { windows: [window('editor'), window('api'), window('ui', false), window('worker', true)] };
    expect(windowsToRestart({ config } as unknown as Parameters<typeof windowsToRestart>[0])).toEqual(['api', 'worker']);
  });
});
