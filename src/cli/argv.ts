import type { OptionSpec } from './command.js';

export interface ParsedArgv {
  /** Option values by their declared (kebab-case) name. */
  values: Record<string, unknown>;
  positionals: string[];
}

function readValue(option: OptionSpec, raw: string): unknown {
  if (option.type === 'number') {
    const n = Number(raw);
    return raw.trim() === '' || Number.isNaN(n) ? undefined : n;
  }
  if (option.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : undefined;
  return raw;
}

/**
 * A deliberately small argv reader for the common shapes — `--name`, `--name=value`,
 * `--name value`, `--no-name`, `-x`, `-x value`, positionals — and nothing else. It returns
 * undefined for anything unusual (`--`, grouped short flags, unknown or repeated options, a
 * boolean followed by true/false, values that look like flags), leaving those to yargs, so the
 * two can never disagree. It exists because loading yargs costs ~90 ms on a slow machine and
 * yargs-parser alone ~13 ms, on the path of every command.
 */
export function parseArgv(argv: readonly string[], options: Readonly<Record<string, OptionSpec>>): ParsedArgv | undefined {
  const byAlias = new Map(Object.entries(options).flatMap(([name, o]) => (o.alias === undefined ? [] : [[o.alias, name] as const])));
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (!token.startsWith('-') || token === '-') {
      positionals.push(token);
      continue;
    }
    let name: string | undefined;
    let inline: string | undefined;
    let negated = false;
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      const key = eq < 0 ? token.slice(2) : token.slice(2, eq);
      inline = eq < 0 ? undefined : token.slice(eq + 1);
      if (options[key] !== undefined) name = key;
      else if (key.startsWith('no-') && options[key.slice(3)]?.type === 'boolean' && inline === undefined) [name, negated] = [key.slice(3), true];
    } else if (token.length === 2) {
      name = byAlias.get(token.slice(1));
    }
    const option = name === undefined ? undefined : options[name];
    if (name === undefined || option === undefined) return undefined;
    let value: unknown;
    if (negated) value = false;
    else if (inline !== undefined) value = readValue(option, inline);
    else if (option.type === 'boolean') {
      if (argv[i + 1] === 'true' || argv[i + 1] === 'false') return undefined;
      value = true;
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('-')) return undefined;
      value = readValue(option, next);
      i += 1;
    }
    if (value === undefined) return undefined;
    if (option.array === true) values[name] = [...((values[name] as unknown[] | undefined) ?? []), value];
    else if (name in values) return undefined;
    else values[name] = value;
  }
  return { values, positionals };
}
