import { basename } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loopConfig, loopProject, type LoopProject } from './loop-fixture.js';

let project: LoopProject | undefined;
afterEach(() => {
  project?.cleanup();
  project = undefined;
});

function recordedRepository(p: LoopProject): unknown {
  const db = p.ledger();
  try {
    const spec = db.events({ runId: p.runId() }).find((e) => e.event.type === 'play.spec')?.event;
    return spec?.type === 'play.spec' ? spec.repository : undefined;
  } finally {
    db.close();
  }
}

describe('the repository a run records in its play', () => {
  it('is owner/name from the origin remote, without the credentials in its URL', async () => {
    project = loopProject({ config: loopConfig(), program: 'exec "true"\n' });
    project.git('remote', 'add', 'origin', 'https://x-access-token:ghp_s3cr3tT0ken@github.com/acme/app.git');
    expect((await project.prose(['run', 'p.prose'])).exitCode).toBe(0);
    expect(recordedRepository(project)).toBe('acme/app');
    const status = await project.choiros(['dashboard', '--plain']);
    expect(status.stdout).toContain('Repository: acme/app');
    expect(status.stdout).not.toContain('ghp_s3cr3tT0ken');
  });

  it('is the project folder\u2019s name without an origin remote', async () => {
    project = loopProject({ config: loopConfig(), program: 'exec "true"\n' });
    expect((await project.prose(['run', 'p.prose'])).exitCode).toBe(0);
    expect(recordedRepository(project)).toBe(basename(project.root));
  });
});
