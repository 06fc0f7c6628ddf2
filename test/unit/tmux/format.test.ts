import { describe, expect, it } from 'vitest';
import { paneFormat, parsePanes } from '../../../src/tmux/format.js';
import { tmuxOutput } from '../../helpers/panes.js';

describe('pane format', () => {
  it('asks tmux for every field, separated by US and ended by RS', () => {
    expect(paneFormat()).toContain('#{pane_id}\u001f');
    expect(paneFormat()).toContain('#{@choiros_window}');
    expect(paneFormat().endsWith('\u001e')).toBe(true);
  });

  it('parses live and dead panes, and ignores blank output', () => {
    const output = tmuxOutput([
      { session_name: 'app', window_index: '1', pane_id: '%3', pane_pid: '4242', pane_dead: '0', '@choiros_window': 'api', '@choiros_state': 'ready', '@choiros_ready': '1', '@choiros_restarts': '2' },
      { session_name: 'app', window_index: '2', pane_id: '%4', pane_pid: '4243', pane_dead: '1', pane_dead_status: '3', '@choiros_window': 'ui', '@choiros_state': 'starting' },
    ]);
    const panes = parsePanes(`${output}\n`);
    expect(panes).toHaveLength(2);
    expect(panes[0]).toMatchObject({ sessionName: 'app', windowIndex: 1, paneId: '%3', pid: 4242, dead: false, tag: 'api', state: 'ready', ready: true, restarts: 2 });
    expect(panes[1]).toMatchObject({ paneId: '%4', dead: true, deadStatus: 3, deadSignal: undefined, state: 'starting', ready: false, restarts: 0 });
  });

  it('treats an unknown state as none and keeps names with spaces and tabs', () => {
    const [pane] = parsePanes(tmuxOutput([{ session_name: 'my app', '@choiros_state': 'bogus', '@choiros_note': 'a\tb c' }]));
    expect(pane?.sessionName).toBe('my app');
    expect(pane?.state).toBeUndefined();
    expect(pane?.note).toBe('a\tb c');
  });
});
