/**
 * Every diagnostic code the front end reports, with its severity and a one-line title (the
 * titles are listed in docs/prose-language.md). E0xx and W0xx follow the OpenProse spec where it
 * has a code; P1xx are choiros' own checks (PROSE.md: "new checks take new codes").
 */
export const CODES = {
  E001: ['error', 'unterminated string or discretion marker'],
  E002: ['warning', 'unknown escape sequence (kept as written)'],
  E003: ['error', 'session without a prompt or an agent'],
  E004: ['error', 'unexpected token'],
  E005: ['error', 'invalid syntax'],
  E006: ['error', 'duplicate agent'],
  E007: ['error', 'undefined agent'],
  E008: ['error', 'invalid model'],
  E009: ['error', 'duplicate property'],
  E010: ['error', 'duplicate use'],
  E011: ['error', 'empty use path'],
  E012: ['error', 'bad use path'],
  E013: ['error', 'skills is not an array'],
  E014: ['error', 'skill is not a string'],
  E015: ['error', 'permissions is not a block'],
  E016: ['error', 'permission pattern is not a string'],
  E017: ['error', 'resume on an agent that does not persist'],
  E019: ['error', 'duplicate variable'],
  E020: ['error', 'empty input name'],
  E021: ['error', 'duplicate input'],
  E024: ['error', 'duplicate output'],
  E025: ['error', 'unknown program'],
  E026: ['error', 'missing input in a call'],
  E027: ['error', 'unknown input in a call'],
  E028: ['error', 'unknown output of a program'],
  W001: ['warning', 'empty prompt'],
  W002: ['warning', 'prompt is only whitespace'],
  W003: ['warning', 'prompt over 10,000 characters'],
  W004: ['warning', 'empty prompt property'],
  W005: ['warning', 'unknown property'],
  W006: ['warning', 'unknown import source'],
  W007: ['warning', 'skill not imported'],
  W008: ['warning', 'unknown permission type'],
  W009: ['warning', 'unknown permission value'],
  W010: ['warning', 'empty skills'],
  W011: ['warning', 'session restarts a persistent agent'],
  P101: ['error', 'const reassigned'],
  P102: ['warning', 'name shadows an outer name'],
  P103: ['warning', 'loop without a maximum'],
  P104: ['error', 'loop maximum is not a positive whole number'],
  P105: ['error', 'bad parallel modifier'],
  P106: ['error', 'unknown phase'],
  P107: ['error', 'duplicate phase'],
  P108: ['error', 'phase inside a block'],
  P109: ['error', 'verify gate not in choiros.yaml'],
  P110: ['warning', 'legacy import'],
  P111: ['error', 'undefined block'],
  P112: ['error', 'duplicate block'],
  P113: ['error', 'program too large'],
  P114: ['error', 'nesting too deep'],
  P115: ['warning', 'unknown retry or backoff value'],
  P116: ['error', 'unknown phase property'],
  P117: ['error', 'phase timeout is not a duration'],
  P118: ['error', 'phase expect is not a list of paths'],
  P119: ['error', '`shell: true` on a command not written in the exec'],
  P120: ['error', 'a value where a shell or interpreter would run it as code'],
  P121: ['error', 'repeat count is not a whole number'],
  P122: ['error', 'step timeout is not a duration'],
} as const satisfies Record<string, readonly ['error' | 'warning', string]>;

export type Code = keyof typeof CODES;
export type Severity = 'error' | 'warning';

export function severityOf(code: Code): Severity {
  return CODES[code][0];
}
