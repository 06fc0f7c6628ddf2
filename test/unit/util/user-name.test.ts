import { describe, expect, it } from 'vitest';
import { userName } from '../../../src/util/user-name.js';

describe('userName', () => {
  it('is $USER, else $LOGNAME (what cron sets)', () => {
    expect(userName({ USER: 'alice', LOGNAME: 'bob' }, () => 'root')).toBe('alice');
    expect(userName({ USER: '', LOGNAME: 'bob' }, () => 'root')).toBe('bob');
  });

  it('falls back to the account name when the environment names no one, as in a container', () => {
    expect(userName({}, () => 'root')).toBe('root');
  });

  it('is null when the account has no name either', () => {
    expect(userName({}, () => { throw new Error('ENOENT: no such file or directory, uv_os_get_passwd'); })).toBeNull();
  });
});
