import { describe, expect, it } from 'vitest';
import { remoteRepositoryName } from '../../../src/git/remote-name.js';

describe('the repository name from the origin remote', () => {
  it('is owner/name from https, ssh, git and scp-like URLs, without .git', () => {
    expect(remoteRepositoryName('https://github.com/acme/app.git\n')).toBe('acme/app');
    expect(remoteRepositoryName('https://github.com/acme/app')).toBe('acme/app');
    expect(remoteRepositoryName('https://github.com/acme/app.git/')).toBe('acme/app');
    expect(remoteRepositoryName('ssh://git@github.com:22/acme/app.git')).toBe('acme/app');
    expect(remoteRepositoryName('git://example.org/acme/app.git')).toBe('acme/app');
    expect(remoteRepositoryName('git@github.com:acme/app.git')).toBe('acme/app');
    expect(remoteRepositoryName('github.com:acme/app')).toBe('acme/app');
    expect(remoteRepositoryName('https://gitlab.com/group/sub/app.git')).toBe('group/sub/app');
  });

  it('never carries credentials embedded in the URL', () => {
    for (const url of ['https://x-access-token:ghp_s3cr3tT0ken@github.com/acme/app.git', 'https://ghp_s3cr3tT0ken@github.com/acme/app', 'ssh://deploy:hunter2@host/acme/app.git', 'deploy:hunter2@host:acme/app.git']) {
      const name = remoteRepositoryName(url);
      expect(name, url).toBe('acme/app');
    }
  });

  it('is null for a local path, a file URL, or a URL without an owner and a name', () => {
    for (const url of ['/srv/git/app.git', '../app', 'file:///srv/git/acme/app.git', 'https://github.com/app.git', 'https://github.com', '']) expect(remoteRepositoryName(url), url).toBeNull();
  });
});
