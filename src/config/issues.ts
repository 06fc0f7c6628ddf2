import type { ConfigIssue } from '../errors.js';

/** A zod issue, reduced to the fields we read (zod's own type is a wide union). */
export interface SchemaIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  keys?: string[];
  values?: unknown[];
  errors?: SchemaIssue[][];
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
}

/** `['windows', 2, 'ready', 'http']` → `windows[2].ready.http`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const text = String(key);
      out += /^[A-Za-z_][\w-]*$/.test(text) ? (out === '' ? text : `.${text}`) : `[${JSON.stringify(text)}]`;
    }
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 37)}...` : value}"`;
  return String(value);
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/** zod's default messages start with "Invalid input"; ours are written for people. */
function isCustom(message: string): boolean {
  return !/^(Invalid|Too (small|big)|Unrecognized)/.test(message);
}

function firstCustomMessage(issue: SchemaIssue): string | undefined {
  for (const branch of issue.errors ?? []) {
    for (const nested of branch) {
      if (isCustom(nested.message)) return nested.message;
      const deeper = firstCustomMessage(nested);
      if (deeper !== undefined) return deeper;
    }
  }
  return undefined;
}

function messageFor(issue: SchemaIssue, input: unknown): string {
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_WORDS[issue.expected ?? ''] ?? issue.expected ?? 'another type';
      return value === undefined ? `required: expected ${expected}` : `expected ${expected}, got ${describeValue(value)}`;
    }
    case 'invalid_value':
      return `expected one of ${(issue.values ?? []).map(String).join(', ')}, got ${describeValue(value)}`;
    case 'invalid_union':
      return firstCustomMessage(issue) ?? `unexpected value ${describeValue(value)}`;
    case 'too_small':
      if (isCustom(issue.message)) return issue.message;
      return issue.origin === 'array' ? `expected at least ${String(issue.minimum)} item(s)` : `expected at least ${String(issue.minimum)}`;
    case 'too_big':
      if (isCustom(issue.message)) return issue.message;
      return `expected at most ${String(issue.maximum)}`;
    default:
      return isCustom(issue.message) ? issue.message : `${issue.message.replace(/^Invalid input: /, '')}`;
  }
}

export type Locate = (path: readonly PropertyKey[], asKey: boolean) => { line: number; column: number } | undefined;

/** Turns schema issues into config issues (one per unknown key), sorted by position when known. */
export function toConfigIssues(issues: readonly SchemaIssue[], input: unknown, locate?: Locate): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const add = (path: readonly PropertyKey[], message: string, asKey: boolean) => {
    const position = locate?.(path, asKey);
    out.push({ path: formatKeyPath(path), message, ...(position === undefined ? {} : { line: position.line, column: position.column }) });
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys ?? []) add([...issue.path, key], 'unknown key', true);
    } else {
      add(issue.path, messageFor(issue, input), false);
    }
  }
  return out.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
}
