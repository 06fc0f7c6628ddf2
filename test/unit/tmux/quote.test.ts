import { describe, expect, it } from 'vitest';
import { formatLiteral, shellQuote, tmuxArg } from '../../../src/tmux/quote.js';
import { run } from '../../../src/process/run.js';

describe('shellQuote', () => {
  it('leaves plain words alone', () => {
    expect(shellQuote('/tmp/logs/api.log')).toBe('/tmp/logs/api.log');
  });

  it.each(["it's", 'a b', '$(rm -rf ~)', '`id`', 'x; rm y', 'line\nbreak', ''])('keeps %j one inert word for /bin/sh', async (text) => {
    const result = await run('/bin/sh', ['-c', `printf '%s' ${shellQuote(text)}`]);
    expect(result.stdout).toBe(text);
  });
});

describe('tmuxArg', () => {
  it('escapes a trailing semicolon, which tmux would take as a command separator', () => {
    expect(tmuxArg('echo hi;')).toBe('echo hi\\;');
    expect(tmuxArg('a;b')).toBe('a;b');
  });
});

describe('formatLiteral', () => {
  it('doubles # so tmux format expansion gives the text back', () => {
    expect(formatLiteral('/tmp/a#{b}')).toBe('/tmp/a##{b}');
  });
});
