/**
 * Which changes of a candidate touch what the gates check, as the run asks a human about them.
 * Built on `tamperFindings` (src/verify/tamper.ts), with two rules of the loop's own:
 *
 * - A new test file adds a check and weakens none, so it is not asked about — agents are told to
 *   write tests. A new file that changes how existing tests run is: `conftest.py`, `__mocks__/`,
 *   snapshots, and any check configuration or gate script.
 * - Every change has a key made of what changed and its new content (the blob, the gate's new
 *   definition): once a human accepts it, the same change is not asked about again, but any
 *   further edit to that file or gate is.
 *
 * Pure: the caller reads both configurations and the changed paths from git.
 */
import type { GateConfig } from '../config/schema.js';
import type { ChangedBlob } from '../git/diff.js';
import type { CheckChange } from '../runtime/ports.js';
import { describeTamper, isTestPath, tamperFindings, type TamperFinding } from '../verify/tamper.js';

type Gates = Readonly<Record<string, GateConfig>> | undefined;

/** New files that change how the tests already there run. */
const RUNS_EXISTING_TESTS = /(?:^|\/)(?:conftest\.py|__mocks__\/|__snapshots__\/|[^/]+\.snap$)/;

function weakensNothing(change: ChangedBlob): boolean {
  return change.kind === 'create' && isTestPath(change.path) && !RUNS_EXISTING_TESTS.test(change.path);
}

/** JSON with sorted keys: the same definition always gives the same key. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v)) ?? 'none';
}

function keyOf(finding: TamperFinding, after: Gates, blobs: ReadonlyMap<string, ChangedBlob>): string {
  switch (finding.kind) {
    case 'gate-added':
    case 'gate-removed':
    case 'gate-changed':
      return `gate:${finding.gate}:${canonical(after?.[finding.gate])}`;
    case 'test-file':
    case 'check-config':
    case 'gate-script':
      return `file:${finding.path}@${blobs.get(finding.path)?.oid ?? 'deleted'}`;
  }
}

function textOf(finding: TamperFinding, blobs: ReadonlyMap<string, ChangedBlob>): string {
  const text = describeTamper(finding);
  return 'path' in finding && blobs.get(finding.path)?.kind === 'delete' ? `${text} (deleted)` : text;
}

export interface CheckInputs {
  /** The gates as the run's reference tree defines them. */
  before: Gates;
  /** The gates as the candidate defines them; `unreadable` when its choiros.yaml no longer parses. */
  after: Gates | 'unreadable';
  /** choiros.yaml's path in the repository, when the candidate changed it. */
  configChange?: ChangedBlob | undefined;
  changed: readonly ChangedBlob[];
}

export function checkChanges(input: CheckInputs): CheckChange[] {
  const blobs = new Map(input.changed.map((c) => [c.path, c]));
  const after = input.after === 'unreadable' ? input.before : input.after;
  const paths = input.changed.filter((c) => !weakensNothing(c)).map((c) => c.path);
  const changes = tamperFindings(input.before, after, paths).map((f) => ({ key: keyOf(f, after, blobs), text: textOf(f, blobs) }));
  if (input.after === 'unreadable') {
    const oid = input.configChange?.oid ?? 'deleted';
    changes.unshift({ key: `config:${input.configChange?.path ?? 'choiros.yaml'}@${oid}`, text: `${input.configChange?.path ?? 'choiros.yaml'} no longer reads as a valid configuration: the gates it defines cannot be compared` });
  }
  return changes;
}
