import { runStatusText } from '../ledger/model.js';
import type { Deviation, NextAction, PlayState } from './model.js';

const PRIORITY = ['StageStuck', 'StageTimeout', 'AgentFailed', 'MissingArtifact', 'InvalidTransition'];

function remedy(run: string, d: Deviation): NextAction {
  switch (d.kind) {
    case 'StageStuck':
      return { kind: 'investigate', stage: d.stage, detail: `${d.stage ?? 'the run'} is stuck (${d.detail}): look at its agent, then cancel or reset the stage`, command: `choiros play reset --run ${run} --to-stage ${d.stage ?? ''}`.trim() };
    case 'StageTimeout':
      return { kind: 'investigate', stage: d.stage, detail: `${d.stage ?? 'the run'} is over its time limit (${d.detail})`, command: `choiros cancel ${run}` };
    case 'AgentFailed':
    case 'MissingArtifact':
      return { kind: 'retry', stage: d.stage ?? '', detail: `${d.stage ?? 'the stage'}: ${d.detail}; run the stage again`, command: `choiros play reset --run ${run} --to-stage ${d.stage ?? ''}` };
    default:
      return { kind: 'investigate', stage: d.stage, detail: d.detail, command: `choiros play diff --run ${run}` };
  }
}

/** An orchestrator's run: choiros cannot resume or reset it, only say what it is doing. */
function externalNext(state: PlayState): NextAction {
  const failed = [...state.tasks.values()].filter((t) => t.status === 'failed').at(-1);
  if (state.runStatus === 'failed' && failed !== undefined) return { kind: 'investigate', stage: failed.stage, detail: `task ${failed.id} (${failed.task}) failed; the orchestrator that logged it decides what follows`, command: null };
  if (state.runFinishedAt !== null) return { kind: 'none', detail: `the run ${runStatusText(state.runStatus)}` };
  const active = state.stages.find((s) => s.status === 'active');
  return active === undefined ? { kind: 'none', detail: 'waiting for the orchestrator to log more tasks' } : { kind: 'wait', stage: active.name, detail: `wait for ${active.name} (logged by an external orchestrator)` };
}

/** What should happen next, for a person or an orchestrator: the most urgent thing first. */
export function nextAction(state: PlayState, deviations: readonly Deviation[]): NextAction {
  const run = state.runId;
  const waiting = [...state.tasks.values()].find((t) => t.status === 'awaiting_approval');
  if (waiting !== undefined && (state.runFinishedAt === null || state.runStatus === 'awaiting_approval')) {
    return { kind: 'approve', taskId: waiting.id, detail: `task ${waiting.id} (${waiting.task}) awaits approval`, command: `choiros approve ${waiting.id}` };
  }
  if (state.external) return externalNext(state);
  if (state.runStatus === 'paused' || state.runStatus === 'interrupted' || state.runStatus === 'awaiting_approval') {
    return { kind: 'resume', detail: `the run is ${state.runStatus}`, command: `prose resume ${run}` };
  }
  if (state.runFinishedAt !== null) {
    if (state.runStatus === 'succeeded') {
      // It finished without leaving what a stage was to leave: run that stage again (a reset, then prose resume).
      const missing = deviations.find((d) => d.kind === 'MissingArtifact' && d.open);
      return missing === undefined ? { kind: 'none', detail: 'the run finished' } : remedy(run, missing);
    }
    const failed = deviations.find((d) => d.kind === 'AgentFailed' && d.open);
    return failed === undefined ? { kind: 'resume', detail: `the run ended ${state.runStatus}`, command: `prose resume ${run}` } : remedy(run, failed);
  }
  const open = deviations.filter((d) => d.open).sort((a, b) => PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind));
  if (open[0] !== undefined) return remedy(run, open[0]);
  const active = state.stages.find((s) => s.status === 'active');
  if (active !== undefined) {
    const agent = active.agents.at(-1) ?? active.spec?.agents[0];
    return { kind: 'wait', stage: active.name, detail: `wait for ${active.name}${agent === undefined ? '' : ` (${agent})`}` };
  }
  if (state.stages.length === 0) return { kind: 'none', detail: 'no play recorded yet: the runner writes play.spec when the run starts' };
  const pending = state.stages.find((s) => s.status === 'pending' || s.status === 'failed');
  if (pending !== undefined) return { kind: 'start', stage: pending.name, detail: `start ${pending.name}` };
  return { kind: 'none', detail: 'every stage has ended' };
}
