/**
 * Secrets never leave choiros in text it prints or stores: webhook URLs (a Slack webhook URL is
 * itself a credential), signing secrets, and environment variables named like secrets. Pure:
 * the environment and the notify targets are passed in.
 */

export const REDACTED = '[redacted]';

/** Environment variable names whose values are treated as secrets wherever they turn up. */
const SECRET_NAME = /(SECRET|TOKEN|PASSW(OR)?D|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|WEBHOOK|AUTH)/i;

/** Shorter values (`1`, `true`) would redact ordinary text. */
const MIN_SECRET_LENGTH = 6;

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** `${NAME}` references in a config value. */
export function envReferences(text: string): string[] {
  return [...text.matchAll(REFERENCE)].map((m) => m[1] ?? '');
}

export interface SecretSources {
  env: NodeJS.ProcessEnv;
  /** Raw `url` and `secret` values of the notify targets, before interpolation. */
  configValues?: readonly string[];
}

/** Every value to hide: referenced and secret-named env values, and literal config secrets. */
export function collectSecrets({ env, configValues = [] }: SecretSources): string[] {
  const names = new Set(configValues.flatMap(envReferences));
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value.length < MIN_SECRET_LENGTH) continue;
    if (names.has(name) || SECRET_NAME.test(name)) values.add(value);
  }
  for (const raw of configValues) {
    if (envReferences(raw).length === 0 && raw.length >= MIN_SECRET_LENGTH) values.add(raw);
    const resolved = raw.replace(REFERENCE, (_, name: string) => env[name] ?? '');
    if (resolved.length >= MIN_SECRET_LENGTH) values.add(resolved);
  }
  return [...values];
}

export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: Iterable<string>) {
    // Longest first, so a secret that contains another is replaced whole.
    this.secrets = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  }

  get size(): number {
    return this.secrets.length;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }

  /** A copy of a JSON-like value with every string redacted. */
  redactDeep<T>(value: T): T {
    if (this.secrets.length === 0) return value;
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v));
    if (value !== null && typeof value === 'object' && !(value instanceof Map) && !(value instanceof Set)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.walk(v)]));
    }
    return value;
  }
}

export const NO_SECRETS = new Redactor([]);
