import type { Expression, Property, PropertyBlock } from './ast.js';
import { parseDuration } from '../config/units.js';
import type { DiagnosticSink } from './diagnostics.js';

export type PropertyOwner = 'agent' | 'session' | 'gate' | 'exec' | 'input';

const KNOWN: Record<PropertyOwner, ReadonlySet<string>> = {
  agent: new Set(['model', 'prompt', 'skills', 'persist', 'permissions', 'retry', 'backoff', 'context', 'description', 'timeout', 'fallback']),
  session: new Set(['model', 'prompt', 'context', 'retry', 'backoff', 'timeout', 'skills', 'permissions', 'description', 'fallback']),
  gate: new Set(['prompt', 'options', 'timeout', 'on_timeout', 'default', 'context']),
  exec: new Set(['timeout', 'cwd', 'env', 'on-fail', 'shell', 'retry', 'backoff']),
  input: new Set(['default', 'description', 'type', 'options', 'example', 'required']),
};

const OWNER_WORDS: Record<PropertyOwner, string> = { agent: 'an agent', session: 'a session', gate: 'a gate', exec: '`exec`', input: 'an input' };

export const MODELS = ['sonnet', 'opus', 'haiku'];
const PERMISSION_LISTS = new Set(['read', 'write', 'execute']);
const PERMISSION_SWITCHES = new Set(['bash', 'network']);
const PERMISSION_VALUES = ['allow', 'deny', 'prompt'];
/** How a retried step waits: the checker warns at any other word, and the run refuses it (runtime/property-values.ts). */
export const BACKOFFS = ['none', 'linear', 'exponential'] as const;
export type Backoff = (typeof BACKOFFS)[number];

/**
 * The property of that name, if any. A loop rather than `find` with an arrow: the checker asks
 * this of every session, and the closure per call showed in profiles.
 */
export function propertyNamed(properties: readonly Property[], name: string): Property | undefined {
  for (const property of properties) if (property.name.name === name) return property;
  return undefined;
}

/** The text of a bare word or a string (`model: opus`, `model: "opus"`), else undefined. */
export function wordOf(value: Expression | PropertyBlock): string | undefined {
  if (value.kind === 'Identifier') return value.name;
  if (value.kind === 'String') return value.value;
  return undefined;
}

/** Shared checks of a property list: duplicates, unknown names, and each known property's value. */
export function checkProperties(sink: DiagnosticSink, owner: PropertyOwner, properties: readonly Property[], imported: ReadonlySet<string> | undefined): void {
  for (let i = 0; i < properties.length; i++) {
    const property = properties[i] as Property;
    const name = property.name.name;
    if (isRepeated(properties, i)) sink.report('E009', property.name.span, `duplicate property \`${name}\``);
    if (KNOWN[owner].has(name)) checkValue(sink, property, imported);
    else sink.report('W005', property.name.span, `unknown property \`${name}\` on ${OWNER_WORDS[owner]}`);
  }
}

/** Property lists are short: a scan beats building a set for each one. */
function isRepeated(properties: readonly Property[], index: number): boolean {
  const name = properties[index]?.name.name;
  for (let i = 0; i < index; i++) if (properties[i]?.name.name === name) return true;
  return false;
}

function checkValue(sink: DiagnosticSink, property: Property, imported: ReadonlySet<string> | undefined): void {
  const { value } = property;
  switch (property.name.name) {
    case 'model': {
      const model = wordOf(value);
      if (model !== undefined && !MODELS.includes(model)) sink.report('E008', value.span, `invalid model \`${model}\`: use sonnet, opus or haiku`);
      return;
    }
    case 'prompt':
      if (value.kind === 'String' && value.value.trim() === '') sink.report('W004', value.span, 'empty `prompt:` property');
      else checkPromptText(sink, value);
      return;
    case 'skills':
      return checkSkills(sink, value, imported);
    case 'permissions':
      return checkPermissions(sink, value);
    case 'retry':
      if (value.kind !== 'Identifier' && !(value.kind === 'Number' && Number.isInteger(value.value) && value.value >= 0)) {
        sink.report('P115', value.span, '`retry` should be a whole number of attempts');
      }
      return;
    case 'timeout':
      // A literal the run cannot read would mean no timeout at all; a computed one is checked when it runs.
      if ((value.kind === 'String' || value.kind === 'Number') && parseDuration(value.value) === undefined) {
        sink.report('P122', value.span, `\`timeout\` must be a duration like "30s", "5m" or "1h", or a number of seconds, not ${JSON.stringify(value.value)}`);
      }
      return;
    case 'backoff': {
      const backoff = wordOf(value);
      if (backoff === undefined || !(BACKOFFS as readonly string[]).includes(backoff)) sink.report('P115', value.span, '`backoff` should be none, linear or exponential');
      return;
    }
    default:
      return;
  }
}

/** W001–W003 on a prompt given as a string. */
export function checkPromptText(sink: DiagnosticSink, value: Expression | PropertyBlock): void {
  if (value.kind !== 'String') return;
  if (value.value === '') sink.report('W001', value.span, 'empty prompt');
  else if (value.value.trim() === '') sink.report('W002', value.span, 'the prompt is only whitespace');
  else if (value.value.length > 10_000) sink.report('W003', value.span, `the prompt is ${value.value.length} characters long (over 10,000)`);
}

function checkSkills(sink: DiagnosticSink, value: Expression | PropertyBlock, imported: ReadonlySet<string> | undefined): void {
  if (value.kind !== 'Array') {
    sink.report('E013', value.span, '`skills` must be an array of strings: `skills: ["web-search"]`');
    return;
  }
  if (value.elements.length === 0) sink.report('W010', value.span, 'empty `skills`');
  for (const element of value.elements) {
    if (element.kind !== 'String') sink.report('E014', element.span, 'a skill must be a string');
    else if (imported !== undefined && !imported.has(element.value)) sink.report('W007', element.span, `skill \`${element.value}\` is not imported`);
  }
}

function checkPermissions(sink: DiagnosticSink, value: Expression | PropertyBlock): void {
  if (value.kind !== 'PropertyBlock') {
    sink.report('E015', value.span, '`permissions` must be an indented block of `read:`, `write:`, `execute:`, `bash:` or `network:`');
    return;
  }
  for (const permission of value.properties) {
    const name = permission.name.name;
    const setting = permission.value;
    if (PERMISSION_LISTS.has(name)) {
      if (setting.kind === 'Array') {
        for (const pattern of setting.elements) if (pattern.kind !== 'String') sink.report('E016', pattern.span, `a \`${name}\` pattern must be a string`);
      } else if (setting.kind !== 'String') {
        sink.report('W009', setting.span, `unknown value for \`${name}\`: use a list of glob patterns`);
      }
    } else if (PERMISSION_SWITCHES.has(name)) {
      const word = wordOf(setting);
      if (word === undefined || !PERMISSION_VALUES.includes(word)) sink.report('W009', setting.span, `unknown value for \`${name}\`: use allow, deny or prompt`);
    } else {
      sink.report('W008', permission.name.span, `unknown permission type \`${name}\`: use read, write, execute, bash or network`);
    }
  }
}
