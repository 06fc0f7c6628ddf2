import { z } from 'zod';
import { ConfigSchema } from './schema.js';

/** The JSON Schema (draft 2020-12) of choiros.yaml as users write it (durations as text). */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://choiros.dev/schema/choiros.json',
    title: 'choiros.yaml',
    description: 'choiros session, agents, verification gates, checkpoints and notifications',
  };
}
