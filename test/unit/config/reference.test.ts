import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../../src/config/json-schema.js';
import { configReference } from '../../../src/config/reference.js';

describe('docs/configuration.md', () => {
  it('is what the schema generates (run `npm run docs` after changing the schema)', () => {
    const committed = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    expect(committed).toBe(configReference(configJsonSchema()));
  });

  it('documents every window key', () => {
    const text = configReference(configJsonSchema());
    for (const key of ['name', 'command', 'cwd', 'env', 'env_file', 'port', 'ready', 'restart', 'max_restarts', 'backoff', 'depends_on', 'autostart', 'log']) {
      expect(text).toContain(`| \`${key}\` |`);
    }
  });
});
