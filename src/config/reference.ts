import { DURATION_PATTERN, SIZE_PATTERN } from './units.js';

/** Renders docs/configuration.md from the JSON Schema, so the reference cannot drift from the code. */

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  required?: string[];
  pattern?: string;
}

function typeOf(schema: JsonSchema): string {
  const patterns = schema.anyOf?.map((s) => s.pattern) ?? [];
  if (patterns.includes(DURATION_PATTERN.source)) return 'duration';
  if (patterns.includes(SIZE_PATTERN.source)) return 'size';
  if (schema.enum !== undefined) return schema.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (schema.anyOf !== undefined) return [...new Set(schema.anyOf.map(typeOf))].join(' or ');
  if (schema.type === 'array') return `list of ${schema.items === undefined ? 'values' : typeOf(schema.items)}`;
  if (schema.type === 'object' && typeof schema.additionalProperties === 'object') return `map of ${typeOf(schema.additionalProperties)}`;
  if (Array.isArray(schema.type)) return schema.type.join(' or ');
  return schema.type === 'integer' ? 'integer' : (schema.type ?? 'any');
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function table(schema: JsonSchema): string[] {
  const rows = Object.entries(schema.properties ?? {}).map(([key, prop]) => {
    const required = schema.required?.includes(key) === true && prop.default === undefined;
    const fallback = prop.default === undefined ? (required ? 'required' : '') : `\`${JSON.stringify(prop.default)}\``;
    const description = prop.description ?? '';
    return `| \`${key}\` | ${cell(typeOf(prop))} | ${fallback} | ${cell(description)} |`;
  });
  return ['| key | type | default | description |', '|---|---|---|---|', ...rows];
}

function section(title: string, schema: JsonSchema | undefined, note?: string): string[] {
  if (schema === undefined) return [];
  return [`## ${title}`, '', ...(note === undefined ? [] : [note, '']), ...table(schema), ''];
}

function recordValue(schema: JsonSchema | undefined): JsonSchema | undefined {
  return typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

export function configReference(schema: JsonSchema): string {
  const props = schema.properties ?? {};
  const windows = props.windows?.items;
  return [
    '# Configuration reference',
    '',
    '<!-- Generated from the schema by `npm run docs`; edit src/config/schema.ts instead. -->',
    '',
    '`choiros.yaml` at the project root (or `--config FILE`). Every key is checked: an unknown key',
    'or a wrong type is an error naming its key path and position (`windows[2].ready.http: expected',
    'a URL`), exit code 2, and nothing is started. `choiros config schema` prints the JSON Schema for',
    'editors; `choiros config check` validates; `choiros config show` prints the resolved values.',
    '',
    'Durations are written `500ms`, `30s`, `5m`, `1h`, `1h30m` (a bare number is seconds, but minutes',
    'for `checkpoints.interval`, as for the `checkpoint_interval` run setting); sizes `512KiB`, `10MiB`',
    '(a bare number is bytes).',
    '',
    ...section('Top level', schema),
    ...section('windows[]', windows, 'One tmux window each, in order. Without `windows:` the six default windows are used.'),
    ...section('windows[].ready', windows?.properties?.ready, 'Readiness probe: exactly one of `http`, `tcp`, `log`, `exec`.'),
    ...section('agents.NAME', recordValue(props.agents), 'How a `session` in a .prose program reaches a real agent.'),
    ...section('judge', props.judge),
    ...section('verify.GATE', recordValue(props.verify), 'Verification gates used by `verify` in .prose programs.'),
    ...section('checkpoints', props.checkpoints),
    ...section('run', props.run, 'Hard caps of `prose run` (see docs/agentic-loop.md); a run argument of the same name overrides each.'),
    ...section('notify[]', props.notify?.items),
    ...section('serve', props.serve, 'The web dashboard (`choiros serve`).'),
    ...section('watch', props.watch, 'The watcher window (`choiros watch`).'),
    ...section('logs', props.logs, 'Per-window log files under `$CHOIROS_HOME/logs/<session>/`.'),
  ].join('\n');
}
