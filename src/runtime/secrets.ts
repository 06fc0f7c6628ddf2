/**
 * Secrets from the environment never reach the ledger or the logs: the values of variables named
 * like secrets (TOKEN, SECRET, PASSWORD, API_KEY, …) are replaced wherever they turn up in what a
 * run records — prompts, agent output, command output, inputs. The same rule as the webhooks'
 * redaction (src/notify/), so what is hidden from one is hidden from all.
 */

export const REDACTED = '[redacted]';

const SECRET_NAME = /(SECRET|TOKEN|PASSW(OR)?D|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|WEBHOOK|AUTH)/i;

/** Shorter values (`1`, `true`) would redact ordinary text. */
const MIN_SECRET_LENGTH = 6;

export class Secrets {
  private readonly values: string[];

  constructor(values: Iterable<string>) {
    // Longest first, so a secret that contains another is replaced whole.
    this.values = [...new Set(values)].filter((v) => v.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  }

  static fromEnv(env: NodeJS.ProcessEnv, extra: readonly string[] = []): Secrets {
    const values = Object.entries(env).flatMap(([name, value]) => (value !== undefined && SECRET_NAME.test(name) ? [value] : []));
    return new Secrets([...values, ...extra]);
  }

  get size(): number {
    return this.values.length;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.values) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }

  /** A copy of a JSON-like value with every string redacted. */
  redactDeep<T>(value: T): T {
    if (this.values.length === 0) return value;
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.walk(v)]));
    return value;
  }
}

export const NO_SECRETS = new Secrets([]);
