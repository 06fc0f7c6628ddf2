import type { Backoff, Expression, Property, PropertyBlock, Resume, Session } from '../prose/index.js';
import { site, type Frame } from './frame.js';
import { promptText } from './inputs.js';
import { backoffProperty, durationProperty, retryProperty } from './property-values.js';
import type { Interpreter } from './interpreter.js';
import type { ContextItem } from './ports.js';
import { isArray, isObject, toText, type Value } from './values.js';

/** A session with its agent's properties and its own resolved: what to ask, of whom, how persistently. */
export interface SessionPlan {
  /** The program's agent name, or `default`. */
  agent: string;
  /** `session builder`, `session review: reviewer`. */
  task: string;
  prompt: string;
  system: string | undefined;
  model: string | undefined;
  context: ContextItem[];
  skills: string[];
  permissions: Record<string, Value>;
  retry: number;
  backoff: Backoff;
  timeoutMs: number | undefined;
  /** Agents that take the same request, in order, when this one's retries are exhausted. */
  fallbacks: string[];
  /** Where the agent's memory lives (`persist:`), when it has one. */
  persist: string | undefined;
  resume: boolean;
}

function find(properties: readonly Property[], name: string): Property | undefined {
  return properties.find((p) => p.name.name === name);
}

/** `model: sonnet`, `backoff: "linear"`, `persist: user`: a bare word is the word, not a variable. */
function word(value: Expression | PropertyBlock | undefined): string | undefined {
  if (value === undefined || value.kind === 'PropertyBlock') return undefined;
  if (value.kind === 'Identifier') return value.name;
  if (value.kind === 'String') return value.value;
  if (value.kind === 'Boolean') return String(value.value);
  return undefined;
}

function words(value: Expression | PropertyBlock | undefined): string[] {
  if (value === undefined) return [];
  if (value.kind === 'Array') return value.elements.map(word).filter((w): w is string => w !== undefined);
  const single = word(value);
  return single === undefined ? [] : [single];
}

async function expression(it: Interpreter, property: Property | undefined, frame: Frame): Promise<Value | undefined> {
  if (property === undefined || property.value.kind === 'PropertyBlock') return undefined;
  return it.expression(property.value, frame);
}

/** `context: x | [a, b] | {a, b} | {k: v} | []`: each item named after what the program called it. */
export async function contextItems(it: Interpreter, node: Expression, frame: Frame): Promise<ContextItem[]> {
  const named = async (name: string, value: Expression): Promise<ContextItem> => ({ name, text: toText(await it.expression(value, frame)) });
  if (node.kind === 'Array') {
    const out: ContextItem[] = [];
    for (const [i, element] of node.elements.entries()) out.push(await named(nameOf(element) ?? `context ${i + 1}`, element));
    return out;
  }
  if (node.kind === 'Object') {
    const out: ContextItem[] = [];
    for (const entry of node.entries) out.push(entry.value === undefined ? { name: entry.key, text: toText(it.lookup(entry.key, entry, frame)) } : await named(entry.key, entry.value));
    return out;
  }
  const value = await it.expression(node, frame);
  if (value === null || (isArray(value) && value.length === 0)) return [];
  if (isObject(value) && node.kind !== 'Identifier') return Object.entries(value).map(([name, v]) => ({ name, text: toText(v) }));
  return [{ name: nameOf(node) ?? 'context', text: toText(value) }];
}

function nameOf(node: Expression): string | undefined {
  if (node.kind === 'Identifier') return node.name;
  if (node.kind === 'Member') {
    const object = nameOf(node.object);
    return object === undefined ? undefined : `${object}.${node.property.name}`;
  }
  return undefined;
}

function permissionsOf(value: Expression | PropertyBlock | undefined): Record<string, Value> {
  if (value?.kind !== 'PropertyBlock') return {};
  return Object.fromEntries(value.properties.map((p) => [p.name.name, p.value.kind === 'Array' ? words(p.value) : (word(p.value) ?? null)]));
}

/** `persist: true | project | user | "path"` → the memory scope, or undefined for none. */
function persistScope(value: Expression | PropertyBlock | undefined): string | undefined {
  const scope = word(value);
  if (scope === undefined || scope === 'false' || scope === '') return undefined;
  return scope === 'true' ? 'project' : scope;
}

export async function planSession(it: Interpreter, node: Session | Resume, frame: Frame): Promise<SessionPlan> {
  const agentName = node.agent?.name ?? 'default';
  const definition = frame.unit.agents.get(agentName);
  const own = node.properties;
  const inherited = definition?.properties ?? [];
  const prop = (name: string) => find(own, name) ?? find(inherited, name);
  const title = node.kind === 'Session' ? node.prompt : undefined;
  const promptNode = find(own, 'prompt')?.value ?? title;
  const agentPrompt = find(inherited, 'prompt')?.value;
  const system = agentPrompt === undefined ? undefined : await promptText(it, agentPrompt, frame);
  const prompt = promptNode === undefined ? (system ?? '') : await promptText(it, promptNode, frame);
  const contextNode = prop('context')?.value;
  const retries = retryProperty(await expression(it, prop('retry'), frame), site(frame, prop('retry')?.value.span ?? node.span));
  const timeoutMs = durationProperty(await expression(it, prop('timeout'), frame), site(frame, prop('timeout')?.value.span ?? node.span));
  const backoffNode = prop('backoff')?.value;
  const backoff = backoffProperty(word(backoffNode), site(frame, backoffNode?.span ?? node.span));
  const label = node.kind === 'Session' ? node.label?.name : undefined;
  return {
    agent: agentName,
    task: `${node.kind === 'Resume' ? 'resume' : 'session'} ${label === undefined ? agentName : `${label}: ${agentName}`}`,
    prompt,
    system: promptNode === undefined ? undefined : system,
    model: word(prop('model')?.value),
    context: contextNode === undefined || contextNode.kind === 'PropertyBlock' ? [] : await contextItems(it, contextNode, frame),
    skills: words(prop('skills')?.value),
    permissions: permissionsOf(prop('permissions')?.value),
    retry: retries,
    backoff,
    timeoutMs,
    fallbacks: words(prop('fallback')?.value),
    persist: persistScope(definition === undefined ? undefined : find(definition.properties, 'persist')?.value),
    resume: node.kind === 'Resume',
  };
}

/** The wait before retry number `retry` (1-based). */
export function backoffDelay(backoff: Backoff, retry: number, baseMs: number): number {
  if (backoff === 'none') return 0;
  const delay = backoff === 'linear' ? baseMs * retry : baseMs * 2 ** (retry - 1);
  return Math.min(delay, 5 * 60_000);
}
