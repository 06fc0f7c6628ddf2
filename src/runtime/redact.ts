/**
 * What hides secrets from everything a run records (ledger, logs, agent memory). The CLI passes
 * the webhooks' Redactor (src/notify/redact.ts): environment variables named like secrets and
 * the notify targets' URLs and signing secrets.
 */
export interface Redact {
  redact(text: string): string;
  redactDeep<T>(value: T): T;
}

export const NO_REDACTION: Redact = { redact: (text) => text, redactDeep: (value) => value };
