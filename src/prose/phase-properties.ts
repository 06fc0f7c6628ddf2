import { parseDuration } from '../config/units.js';
import type { Phase, Property } from './ast.js';
import type { DiagnosticSink } from './diagnostics.js';

/**
 * A phase's own properties (issue 7: "the spec — phases as stages, their agents, timeouts,
 * expected artifacts"): `timeout:` limits the stage, `expect:` lists the paths it must leave
 * behind. Both are read before the run starts (the play is recorded then), so they are literals:
 * a duration string like the ones choiros.yaml takes (`"30m"`, `"1h30m"`) or a number of seconds,
 * and a list of path strings relative to the project root.
 */
export const PHASE_PROPERTIES: ReadonlySet<string> = new Set(['timeout', 'expect']);

function find(phase: Phase, name: string): Property | undefined {
  return phase.properties.find((p) => p.name.name === name);
}

/** The phase's `timeout:` in milliseconds, or null without one (or with one the checker refuses). */
export function phaseTimeoutMs(phase: Phase): number | null {
  const value = find(phase, 'timeout')?.value;
  if (value === undefined) return null;
  const ms = value.kind === 'String' || value.kind === 'Number' ? parseDuration(value.value) : undefined;
  return ms === undefined || ms <= 0 ? null : ms;
}

/** The paths of the phase's `expect:` list, in order (those that are strings). */
export function phaseExpect(phase: Phase): string[] {
  const value = find(phase, 'expect')?.value;
  if (value?.kind !== 'Array') return [];
  return value.elements.flatMap((e) => (e.kind === 'String' && e.value.trim() !== '' ? [e.value] : []));
}

/** P116 unknown phase property, P117 timeout not a duration, P118 expect not a list of paths; E009 a property given twice. */
export function checkPhaseProperties(sink: DiagnosticSink, phase: Phase): void {
  const seen = new Set<string>();
  for (const property of phase.properties) {
    const name = property.name.name;
    if (seen.has(name)) sink.report('E009', property.name.span, `duplicate property \`${name}\``);
    seen.add(name);
    if (!PHASE_PROPERTIES.has(name)) {
      sink.report('P116', property.name.span, `unknown phase property \`${name}\`: a phase takes \`timeout:\` and \`expect:\``);
      continue;
    }
    const { value } = property;
    if (name === 'timeout') {
      const ms = value.kind === 'String' || value.kind === 'Number' ? parseDuration(value.value) : undefined;
      if (ms === undefined || ms <= 0) sink.report('P117', value.span, 'a phase `timeout` is a duration written out, like "30m", "1h30m" or "90s", or a number of seconds', 'timeout: "30m"');
    } else if (value.kind !== 'Array') {
      sink.report('P118', value.span, '`expect` is a list of paths the phase must leave behind', 'expect: ["dist/app.js"]');
    } else {
      for (const element of value.elements) {
        if (element.kind !== 'String' || element.value.trim() === '') sink.report('P118', element.span, 'an expected artifact is a path, written as a non-empty string');
      }
    }
  }
}
