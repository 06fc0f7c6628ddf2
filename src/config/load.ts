import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, UsageError } from '../errors.js';
import { FACT_FILES, defaultWindows, detectTestCommand, type ProjectFacts } from './defaults.js';
import type { Locate, SchemaIssue } from './issues.js';
import { choirosHome, locateProject, projectName, socketName } from './paths.js';
import type { ConfigInput, ParsedConfig, WindowConfig } from './schema.js';

export interface ResolvedConfig extends Omit<ParsedConfig, 'windows' | 'session'> {
  session: string;
  windows: WindowConfig[];
  /** The command `choiros watch` runs: `watch.run`, else detected from the project. */
  testCommand: string | undefined;
}

/** A project as every command sees it: where it is, its config, and its private tmux server. */
export interface Project {
  root: string;
  /** The config file, or undefined when the built-in defaults are in use. */
  file: string | undefined;
  name: string;
  /** `$CHOIROS_HOME`: logs, caches. */
  home: string;
  socket: string;
  config: ResolvedConfig;
}

export interface LoadOptions {
  cwd: string;
  configFlag?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

export function readFacts(root: string, env: NodeJS.ProcessEnv): ProjectFacts {
  const files = new Set<string>(FACT_FILES.filter((f) => existsSync(join(root, f))));
  let scripts: Record<string, string> | undefined;
  if (files.has('package.json')) {
    try {
      const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
      scripts = pkg.scripts;
    } catch {
      // A broken package.json is the project's problem, not a reason to refuse to start.
    }
  }
  return { scripts, files, editor: env.EDITOR || undefined };
}

/** Validates config text (YAML) into a parsed config, or throws ConfigError with positions. */
export async function parseConfigText(text: string, file: string, facts: ProjectFacts): Promise<ParsedConfig> {
  const [{ parseDocument, LineCounter, isMap, isScalar }, { ConfigSchema }, { toConfigIssues }] = await Promise.all([
    import('yaml'),
    import('./schema.js'),
    import('./issues.js'),
  ]);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { path: '', message: e.message.split('\n')[0] ?? e.message, line: pos.line, column: pos.col };
      }),
    );
  }
  const input: unknown = doc.toJS() ?? {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError(file, [{ path: '', message: 'expected a mapping of keys (session, windows, …) at the top level', line: 1, column: 1 }]);
  }
  const withDefaults = { ...(input as ConfigInput) };
  withDefaults.windows ??= defaultWindows(facts, withDefaults.watch?.run !== undefined || detectTestCommand(facts) !== undefined);

  const locate: Locate = (path, asKey) => {
    const parentPath = asKey ? path.slice(0, -1) : path;
    let node: unknown = parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true);
    for (let cut = parentPath.length; node === undefined && cut > 0; cut--) node = doc.getIn(parentPath.slice(0, cut - 1), true);
    if (asKey && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1]);
      if (pair !== undefined && isScalar(pair.key)) node = pair.key;
    }
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range === undefined) return undefined;
    const pos = lineCounter.linePos(range[0]);
    return { line: pos.line, column: pos.col };
  };

  const result = ConfigSchema.safeParse(withDefaults);
  if (!result.success) throw new ConfigError(file, toConfigIssues(result.error.issues as SchemaIssue[], withDefaults, locate));
  return result.data;
}

async function parseDefaults(facts: ProjectFacts): Promise<ParsedConfig> {
  const { ConfigSchema } = await import('./schema.js');
  return ConfigSchema.parse({ windows: defaultWindows(facts) });
}

/**
 * Validated configs are cached by content (config text, project facts, and the schema's own
 * source), because loading yaml and zod costs ~110 ms on a slow machine and every command
 * needs the config. A cache hit is one small JSON read. The file is named by a fast hash of
 * that content and holds the content itself, compared in full on reading: a collision of the
 * hash is a miss, never another project's config. (Not crypto's SHA-1: loading node's crypto
 * costs ~5 ms, on the path of every command.)
 */
function cacheSource(kind: string, text: string, facts: ProjectFacts): string {
  const schemaSource = readFileSync(new URL(import.meta.url.endsWith('.ts') ? './schema.ts' : './schema.js', import.meta.url), 'utf8');
  return [schemaSource, kind, text, JSON.stringify({ scripts: facts.scripts, files: [...facts.files].sort(), editor: facts.editor })].join('\0');
}

/** A 53-bit hash of a string, as 14 hex digits (cyrb53: two multiplicative lanes, mixed at the end). */
export function fastHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

interface CachedConfig {
  source: string;
  config: ParsedConfig;
}

function readCache(path: string, source: string): ParsedConfig | undefined {
  try {
    const cached = JSON.parse(readFileSync(path, 'utf8')) as Partial<CachedConfig>;
    return cached.source === source ? cached.config : undefined;
  } catch {
    return undefined;
  }
}

/** How many validated configs the cache keeps: one per project and config version in use, and then some. */
export const CONFIG_CACHE_KEEP = 64;

function writeCache(path: string, source: string, config: ParsedConfig): void {
  const folder = join(path, '..');
  try {
    mkdirSync(folder, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ source, config } satisfies CachedConfig));
    renameSync(tmp, path);
    pruneCache(folder);
  } catch {
    // A cache that cannot be written only costs time.
  }
}

/**
 * Every edit of a config, every upgrade of choiros, leaves a file behind: beyond
 * CONFIG_CACHE_KEEP, the least recently written go. Runs only after a miss.
 */
function pruneCache(folder: string): void {
  const files = readdirSync(folder).filter((name) => name.endsWith('.json'));
  if (files.length <= CONFIG_CACHE_KEEP) return;
  const dated = files.map((name) => ({ name, written: statSync(join(folder, name), { throwIfNoEntry: false })?.mtimeMs ?? 0 }));
  dated.sort((a, b) => b.written - a.written);
  for (const { name } of dated.slice(CONFIG_CACHE_KEEP)) rmSync(join(folder, name), { force: true });
}

export async function loadProject(options: LoadOptions): Promise<Project> {
  const env = options.env ?? process.env;
  const { root, configFile } = locateProject(options.cwd, options.configFlag);
  const home = choirosHome(env);
  const facts = readFacts(root, env);

  let text: string | undefined;
  if (configFile !== undefined) {
    try {
      text = readFileSync(configFile, 'utf8');
    } catch (error) {
      throw new UsageError(`Cannot read the config file ${configFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
        hint: 'Pass an existing file with --config, or run `choiros init` to write one.',
      });
    }
  }

  const source = cacheSource(configFile === undefined ? 'defaults' : 'yaml', text ?? '', facts);
  const cachePath = join(home, 'cache', 'config', `${fastHash(source)}.json`);
  let parsed = readCache(cachePath, source);
  if (parsed === undefined) {
    parsed = text === undefined || configFile === undefined ? await parseDefaults(facts) : await parseConfigText(text, configFile, facts);
    writeCache(cachePath, source, parsed);
  }

  const name = projectName(root);
  const { windows, session, ...rest } = parsed;
  return {
    root,
    file: configFile,
    name,
    home,
    socket: socketName(name, env),
    config: {
      ...rest,
      session: session ?? name,
      windows: windows ?? [],
      testCommand: parsed.watch.run ?? detectTestCommand(facts),
    },
  };
}
