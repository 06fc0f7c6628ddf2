import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AbortError, ConfigError, UsageError } from '../../../src/errors.js';
import { handleError } from '../../../src/cli/handle-error.js';
import { makeOutput } from '../../../src/cli/output.js';

function printed(error: unknown, env: NodeJS.ProcessEnv): { code: number; stderr: string } {
  let stderr = '';
  const err = new PassThrough();
  err.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = handleError(error, makeOutput(new PassThrough(), err, { NO_COLOR: '1', ...env }));
  return { code, stderr };
}

const taken = new AbortError('Cannot start: a port is taken.\n  api (windows[1]): port 8080 is already in use by pid 412 (node server.js)', {
  hint: 'Stop the process holding the port, or change the window’s port in choiros.yaml. Nothing was started.',
  nextSteps: ['choiros status --json shows which window holds which port'],
});

describe('handleError', () => {
  it('keeps each message on one line in a pipe without COLUMNS', () => {
    expect(printed(taken, {})).toEqual({
      code: 1,
      stderr: [
        'error: Cannot start: a port is taken.',
        '  api (windows[1]): port 8080 is already in use by pid 412 (node server.js)',
        '  Stop the process holding the port, or change the window’s port in choiros.yaml. Nothing was started.',
        '  Next steps:',
        '    - choiros status --json shows which window holds which port',
        '',
      ].join('\n'),
    });
  });

  it('wraps the message, its indented lines, the hint and the next steps at COLUMNS', () => {
    const { stderr } = printed(taken, { COLUMNS: '44' });
    expect(stderr.split('\n')).toEqual([
      'error: Cannot start: a port is taken.',
      '  api (windows[1]): port 8080 is already in',
      '    use by pid 412 (node server.js)',
      '  Stop the process holding the port, or',
      '  change the window’s port in choiros.yaml.',
      '  Nothing was started.',
      '  Next steps:',
      '    - choiros status --json shows which',
      '      window holds which port',
      '',
    ]);
  });

  it('exits 2 for usage and config errors, keeping a long path whole', () => {
    const path = '/home/someone/projects/a-very-long-project-name/choiros.yaml';
    const config = printed(new ConfigError(path, [{ path: 'windows[0].ready.http', message: 'expected a URL', line: 9, column: 18 }]), { COLUMNS: '40' });
    expect(config.code).toBe(2);
    expect(config.stderr.split('\n')).toContain(`  ${path}:9:18:`);
    expect(printed(new UsageError('--limit: expected a whole number'), {}).code).toBe(2);
  });
});
