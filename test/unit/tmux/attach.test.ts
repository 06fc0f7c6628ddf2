import { describe, expect, it } from 'vitest';
import { enclosingSocket } from '../../../src/tmux/attach.js';
import { TmuxClient } from '../../../src/tmux/client.js';

describe('enclosingSocket', () => {
  it('names the server a pane belongs to from $TMUX', () => {
    expect(enclosingSocket({ TMUX: '/tmp/tmux-1000/choiros-app,4242,0' })).toBe('choiros-app');
    expect(enclosingSocket({ TMUX: '' })).toBeUndefined();
    expect(enclosingSocket({})).toBeUndefined();
  });
});

describe('TmuxClient', () => {
  it('never passes $TMUX on, so a client inside the user tmux cannot be redirected', () => {
    const client = new TmuxClient('choiros-app', { TMUX: '/tmp/tmux-0/default,1,0', TMUX_PANE: '%1', PATH: '/bin' });
    expect(client.env).toEqual({ PATH: '/bin' });
    expect(client.baseArgs().slice(0, 2)).toEqual(['-L', 'choiros-app']);
    expect(client.baseArgs()[2]).toBe('-f');
  });

  it('looks for the socket where tmux puts it', () => {
    expect(new TmuxClient('s', { TMUX_TMPDIR: '/run/x' }).socketPath()).toMatch(/^\/run\/x\/tmux-\d+\/s$/);
  });
});
