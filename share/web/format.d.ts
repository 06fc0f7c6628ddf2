// Types of format.js for the TypeScript tests that import it; the page itself loads the .js.
export function duration(ms: number | null | undefined): string;
export function percent(share: number | null | undefined): string;
export function clock(iso: string): string;
export function ticking(ms: number | null | undefined, at: string, going: boolean, now: number): number | null;
export function isGoing(run: { status: string; finished_at: string | null }): boolean;
export function stageLabel(status: string): { symbol: string; words: string };
export function tone(value: unknown): string;
export function isFinished(run: { finished_at: string | null; status: string }): boolean;
export function latestRunId(runs: readonly { id: string }[]): string | null;
export interface GateButton {
  label: string;
  action: 'approve' | 'reject';
  option: string | null;
  needsFeedback: boolean;
  tone: 'approve' | 'reject' | 'option';
  says: string;
}
export function gateButtons(gate: { options: readonly string[]; no_option: string; needs_feedback: readonly string[] }): GateButton[];
export function safeHref(uri: unknown, base: string): string | null;
