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
  /** The key's own issues, for `invalid_key` (a record key that fails its schema). */
  issues?: SchemaIssue[];
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
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

/** `a string or a list`: the types a union's branches expected, when none has a message of ours. */
function unionTypes(issue: SchemaIssue): string | undefined {
  const words = (issue.errors ?? []).flatMap((branch) => branch.filter((i) => i.code === 'invalid_type' && i.path.length === 0).map((i) => TYPE_WORDS[i.expected ?? ''] ?? i.expected ?? ''));
  const unique = [...new Set(words.filter((w) => w !== ''))];
  if (unique.length === 0) return undefined;
  return unique.length === 1 ? unique[0] : `${unique.slice(0, -1).join(', ')} or ${unique.at(-1) ?? ''}`;
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
    case 'invalid_union': {
      const types = unionTypes(issue);
      if (value === undefined) return `required: expected ${types ?? 'a value'}`;
      return firstCustomMessage(issue) ?? (types === undefined ? `unexpected value ${describeValue(value)}` : `expected ${types}, got ${describeValue(value)}`);
    }
    case 'invalid_key':
      return (issue.issues ?? []).map((i) => i.message).find(isCustom) ?? 'invalid key';
    case 'too_small':
      if (isCustom(issue.message)) return issue.message;
      if (issue.origin === 'array') return `expected at least ${String(issue.minimum)} item(s)`;
      // `.positive()` is an exclusive bound: "at least 0" would call 0 valid.
      return issue.inclusive === false ? `expected more than ${String(issue.minimum)}` : `expected at least ${String(issue.minimum)}`;
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
    } else if (issue.code === 'invalid_key') {
      add(issue.path, messageFor(issue, input), true);
    } else {
      add(issue.path, messageFor(issue, input), false);
    }
  }
  return out.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
}
