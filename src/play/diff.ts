import type { PlayReport, PlayState } from './model.js';

export interface StageDiff {
  stage: string;
  /** `mayRun`: those of `agents` reached only through a branch, a `catch` or a fallback. */
  expected: { agents: string[]; mayRun: string[]; timeoutMs: number | null; expect: string[] } | null;
  actual: { status: string; agents: string[]; durationMs: number | null; missing: string[] };
  /** What differs, in words; empty when the stage went as specified (so far). */
  differences: string[];
}

/** What should have happened next to what did, stage by stage (`choiros play diff`). */
export function playDiff(state: PlayState, report: PlayReport): StageDiff[] {
  return state.stages.map((stage, i) => {
    const row = report.stages[i];
    const missing = report.deviations.filter((d) => d.kind === 'MissingArtifact' && d.stage === stage.name).map((d) => d.detail.replace(/ is missing$/, ''));
    const differences: string[] = [];
    const spec = stage.spec;
    if (spec === undefined) differences.push('not in the play');
    else {
      const unexpected = stage.agents.filter((a) => !spec.agents.includes(a));
      if (unexpected.length > 0) differences.push(`agents not in the play: ${unexpected.join(', ')}`);
      // One only reached through a branch not taken (a gate's Modify, a fallback) may run: not running is no deviation.
      const unused = spec.agents.filter((a) => !stage.agents.includes(a) && !(spec.mayRun ?? []).includes(a));
      if (unused.length > 0 && (stage.status === 'done' || stage.status === 'failed')) differences.push(`agents that never ran: ${unused.join(', ')}`);
    }
    if (stage.status === 'failed') differences.push('failed');
    if (stage.status === 'skipped') differences.push(stage.admin === 'advanced' ? 'passed over by an admin advance' : 'skipped');
    if (stage.retries > 0) differences.push(`${stage.retries} retr${stage.retries === 1 ? 'y' : 'ies'}`);
    for (const d of report.deviations) if (d.stage === stage.name && d.kind !== 'MissingArtifact' && d.kind !== 'AgentFailed') differences.push(`${d.kind}: ${d.detail}`);
    if (missing.length > 0) differences.push(`missing: ${missing.join(', ')}`);
    return {
      stage: stage.name,
      expected: spec === undefined ? null : { agents: spec.agents, mayRun: spec.mayRun ?? [], timeoutMs: spec.timeoutMs, expect: spec.expect },
      actual: { status: stage.status, agents: stage.agents, durationMs: row?.durationMs ?? null, missing },
      differences,
    };
  });
}
