import type { Resume, Session } from '../prose/index.js';
import { logExcerpt } from '../ledger/pages.js';
import { ProseError, RunStop } from './errors.js';
import { keyOf, site, type Frame } from './frame.js';
import type { Interpreter } from './interpreter.js';
import type { AgentMemory, AgentRequest, AgentResult } from './ports.js';
import { backoffDelay, planSession, type SessionPlan } from './session-plan.js';
import { Attempt, beforeStep, cancelled, replay, type StepSpec } from './steps.js';
import type { Value } from './values.js';

const DETAIL_LENGTH = 120;

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > DETAIL_LENGTH ? `${line.slice(0, DETAIL_LENGTH - 1)}…` : line;
}

function spec(plan: SessionPlan, agent: string): StepSpec {
  return {
    kind: 'session',
    task: agent === plan.agent ? plan.task : `${plan.task} (fallback ${agent})`,
    agent,
    inputs: { prompt: plan.prompt, system: plan.system ?? null, model: plan.model ?? null, context: plan.context.map((c) => c.name), retry: plan.retry, fallbacks: plan.fallbacks },
    detail: oneLine(plan.prompt),
  };
}

function request(it: Interpreter, plan: SessionPlan, agent: string, memory: AgentMemory | undefined, logName: string, frame: Frame): AgentRequest {
  const fallback = agent === plan.agent ? undefined : frame.unit.agents.get(agent);
  const fallbackModel = fallback?.properties.find((p) => p.name.name === 'model')?.value;
  return {
    agent,
    prompt: plan.prompt,
    system: plan.system,
    model: agent === plan.agent ? plan.model : fallbackModel?.kind === 'Identifier' ? fallbackModel.name : fallbackModel?.kind === 'String' ? fallbackModel.value : undefined,
    context: plan.context,
    skills: plan.skills,
    permissions: plan.permissions,
    timeoutMs: plan.timeoutMs,
    memory: agent === plan.agent ? memory : undefined,
    logName,
  };
}

/** A persistent agent: `resume:` continues its memory, `session:` starts it afresh. */
async function memoryFor(it: Interpreter, plan: SessionPlan): Promise<AgentMemory | undefined> {
  if (plan.persist === undefined) return undefined;
  const { memory } = it.rc.ports;
  if (plan.resume) return memory.load(plan.agent, plan.persist);
  await memory.reset(plan.agent, plan.persist);
  return undefined;
}

/** One attempt with one agent, holding one of the run's agent slots while it runs. */
async function attemptOnce(it: Interpreter, plan: SessionPlan, agent: string, number: number, memory: AgentMemory | undefined, key: string, frame: Frame): Promise<{ attempt: Attempt; result: AgentResult }> {
  const { rc } = it;
  const release = await rc.agentSlots.acquire(frame.signal).catch(() => {
    throw cancelled(frame.signal);
  });
  try {
    beforeStep(rc, frame);
    // The iteration cap bounds agent work: the steps between iterations (a rollback) still run.
    const capped = rc.loop.iterationCap();
    if (capped !== undefined) {
      rc.stopping ??= new RunStop('limit', capped);
      throw rc.stopping;
    }
    const attempt = new Attempt(rc, frame, key, spec(plan, agent), number);
    const result = await rc.ports.agents.run(request(it, plan, agent, memory, attempt.logName, frame), attempt.io);
    return { attempt, result };
  } finally {
    release();
  }
}

/**
 * `session …` / `resume: AGENT`: the agent's final answer is the value. A failed attempt is
 * retried (`retry: N`, with `backoff:` waits on the clock port); when one agent's retries are
 * exhausted the next `fallback:` agent takes the same request. Every attempt is its own ledger
 * task with the same step key; a step recorded as done is replayed, not asked again.
 */
export async function runSession(it: Interpreter, node: Session | Resume, frame: Frame): Promise<Value> {
  const { rc } = it;
  const key = keyOf(frame, node.span);
  beforeStep(rc, frame);
  const plan = await planSession(it, node, frame);
  const recorded = replay(rc, key, spec(plan, plan.agent));
  if (recorded !== undefined) return recorded;
  const memory = await memoryFor(it, plan);
  let number = 0;
  let lastError = '';
  let timedOut = false;
  for (const [index, agent] of [plan.agent, ...plan.fallbacks].entries()) {
    if (index > 0) rc.emit({ type: 'step.fallback', step: key, from: [plan.agent, ...plan.fallbacks][index - 1] ?? plan.agent, to: agent });
    for (let retry = 0; retry <= plan.retry; retry++) {
      number += 1;
      const { attempt, result } = await attemptOnce(it, plan, agent, number, memory, key, frame);
      if (frame.signal.aborted) {
        await attempt.fail('cancelled');
        throw cancelled(frame.signal);
      }
      // A failure's excerpt keeps what the agent said before the reason it failed: often the why.
      const detail = { logExcerpt: logExcerpt(result.ok ? result.text : [result.text.trim(), result.error ?? ''].filter((x) => x !== '').join('\n')), ...(result.logFile === undefined ? {} : { outputsUri: result.logFile }) };
      if (result.ok) {
        await attempt.succeed(result.text, `${result.text.length} characters${result.costUsd === undefined ? '' : `, $${result.costUsd.toFixed(4)}`}`, { ...detail, meta: { cost_usd: result.costUsd ?? null, session_id: result.sessionId ?? null, exit_code: result.exitCode ?? null } });
        if (plan.persist !== undefined && agent === plan.agent) await rc.ports.memory.remember(agent, plan.persist, { prompt: plan.prompt, reply: result.text, sessionId: result.sessionId });
        return result.text;
      }
      lastError = result.error ?? 'failed';
      timedOut = result.timedOut === true;
      await attempt.fail(lastError, detail);
      if (retry < plan.retry) {
        const delayMs = backoffDelay(plan.backoff, retry + 1, rc.limits.backoffBaseMs);
        attempt.record.retry(number + 1, delayMs, lastError);
        rc.emit({ type: 'step.retry', step: key, attempt: number + 1, delayMs, error: lastError, agent });
        await rc.ports.clock.sleep(delayMs, frame.signal);
        if (frame.signal.aborted) throw cancelled(frame.signal);
      }
    }
  }
  const agents = [plan.agent, ...plan.fallbacks].join(', then ');
  const error = new ProseError('session', `${plan.task} failed after ${number} attempt${number === 1 ? '' : 's'} (${agents}): ${lastError}`, site(frame, node.span));
  error.step = key;
  error.limit = timedOut;
  throw error;
}
