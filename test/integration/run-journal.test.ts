import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAnswers, ScriptedAgent } from '../../src/agents/scripted.js';
import { Ledger } from '../../src/ledger/ledger.js';
import type { StoredEvent } from '../../src/ledger/model.js';
import { ScriptedOracle, runProgram } from '../../src/runtime/index.js';
import { LedgerJournal } from '../../src/runtime/ledger-journal.js';
import { Redactor } from '../../src/notify/redact.js';
import type { GateAnswer, GatePort, GateRequest } from '../../src/runtime/ports.js';
import { sleep } from '../../src/util/sleep.js';
import { waitFor } from '../helpers/wait.js';
import { FakeCheckpoints, FakeClock, FakeExec, FakeGates, FakeMemory, FakeVerify, unit } from '../unit/runtime/harness.js';

let dir: string;
let ledger: Ledger;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'choiros-journal-'));
  ledger = Ledger.open(join(dir, 'ledger.db'));
});
afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

const program = ['phase build:', '  let plan = session "Plan with key sk-live-123456"', '    retry: 1', '  if **the plan is good**:', '    exec "make"'].join('\n');

async function interpret(runId: string, answers: unknown, onStored?: (e: StoredEvent) => void) {
  const agent = new ScriptedAgent(parseAnswers(answers));
  const journal = new LedgerJournal(ledger, runId, { secrets: new Redactor(['sk-live-123456']), ...(onStored === undefined ? {} : { onStored }) });
  const outcome = await runProgram({
    unit: unit(program),
    inputs: new Map(),
    signal: new AbortController().signal,
    ports: { agents: agent, oracle: new ScriptedOracle({ 'the plan is good': true }), inputs: { ask: async () => undefined }, clock: new FakeClock(), journal, exec: new FakeExec(), verify: new FakeVerify(), checkpoints: new FakeCheckpoints(), gates: new FakeGates(), memory: new FakeMemory() },
    limits: { activityIntervalMs: 0 },
  });
  return { outcome, agent };
}

describe('the ledger journal', () => {
  it('writes a task per attempt before its effect and its value after, with events for the play tracker', async () => {
    const run = ledger.createRun({ program: 'p.prose', programHash: 'h' });
    const seen: string[] = [];
    const { outcome } = await interpret(run.id, { default: [{ fail: 'overloaded' }, { output: 'line 1\nline 2\nthe key is sk-live-123456' }] }, (e) => seen.push(e.event.type));
    expect(outcome.status).toBe('succeeded');
    const tasks = ledger.tasksOfRun(run.id);
    expect(tasks.map((t) => [t.task, t.step, t.attempt, t.status, t.stage])).toEqual([
      ['session default', '2:14', 1, 'failed', 'build'],
      ['session default', '2:14', 2, 'succeeded', 'build'],
      ['exec make', '5:5', 1, 'succeeded', 'build'],
    ]);
    expect(tasks[1]?.outputs).toEqual({ value: 'line 1\nline 2\nthe key is [redacted]', cost_usd: null, session_id: null, exit_code: 0 });
    expect(JSON.stringify(tasks[1]?.inputs)).toContain('Plan with key [redacted]');
    const events = ledger.events({ runId: run.id }).map((e) => e.event);
    expect(events.filter((e) => e.type === 'agent.output')).toEqual([
      { type: 'agent.output', taskId: tasks[0]?.id, lines: ['overloaded'] },
      { type: 'agent.output', taskId: tasks[1]?.id, lines: ['line 1', 'line 2', 'the key is [redacted]'] },
    ]);
    expect(events.filter((e) => e.type === 'task.retry')).toEqual([{ type: 'task.retry', taskId: tasks[0]?.id, attempt: 2, delayMs: 1000, error: 'overloaded' }]);
    expect(events.filter((e) => e.type === 'judgement')).toEqual([{ type: 'judgement', site: '4:6', iteration: 0, question: 'the plan is good', answer: 'true' }]);
    expect(events.filter((e) => e.type.startsWith('stage.'))).toEqual([
      { type: 'stage.started', stage: 'build' },
      { type: 'stage.finished', stage: 'build', status: 'succeeded' },
    ]);
    expect(JSON.stringify(ledger.events({ runId: run.id }))).not.toContain('sk-live-123456');
    expect(seen.filter((t) => t === 'task.created')).toHaveLength(3);
  });

  it('replays a run recorded in the ledger without calling the agent again', async () => {
    const run = ledger.createRun({ program: 'p.prose', programHash: 'h' });
    await interpret(run.id, { default: 'the plan' });
    const again = await interpret(run.id, { default: 'another plan' });
    expect(again.outcome.status).toBe('succeeded');
    expect(again.agent.calls).toEqual([]);
    expect(ledger.tasksOfRun(run.id)).toHaveLength(2);
  });
});

describe('ledger writes without a flush', () => {
  it('commits without waiting for the disk and restores the flush for what follows', () => {
    const run = ledger.createRun({ program: 'p.prose', programHash: 'h' });
    const sync = () => ledger.db.pragma('synchronous', { simple: true });
    const inside = ledger.unsynced(() => {
      ledger.append(run.id, { type: 'stage.started', stage: 'x' });
      return sync();
    });
    expect([inside, sync()]).toEqual([1, 2]);
    expect(ledger.events({ runId: run.id }).map((e) => e.event.type)).toEqual(['run.started', 'stage.started']);
  });
});

/** A person at a terminal: asked, then answers when the test says so, unless the prompt is withdrawn first. */
class TerminalGates implements GatePort {
  readonly live = true;
  withdrawn = false;
  private answerWith: ((answer: GateAnswer | undefined) => void) | undefined;

  ask(_request: GateRequest, signal: AbortSignal): Promise<GateAnswer | undefined> {
    return new Promise((resolve) => {
      this.answerWith = resolve;
      signal.addEventListener('abort', () => {
        this.withdrawn = true;
        resolve(undefined);
      }, { once: true });
    });
  }

  type(answer: GateAnswer): void {
    this.answerWith?.(answer);
  }
}

describe('a gate asked at a terminal', () => {
  const gateProgram = ['let d = gate deploy:', '  prompt: "Ship it?"', 'exec "deploy {d}"'].join('\n');

  function ask(runId: string, gates: TerminalGates) {
    const journal = new LedgerJournal(ledger, runId, { secrets: new Redactor(['sk-live-123456']) });
    const exec = new FakeExec();
    const outcome = runProgram({
      unit: unit(gateProgram),
      inputs: new Map(),
      signal: new AbortController().signal,
      ports: { agents: new ScriptedAgent(parseAnswers({})), oracle: new ScriptedOracle({}), inputs: { ask: async () => undefined }, clock: { now: () => Date.now(), sleep: (ms, signal) => sleep(ms, signal) }, journal, exec, verify: new FakeVerify(), checkpoints: new FakeCheckpoints(), gates, memory: new FakeMemory() },
      limits: { activityIntervalMs: 0 },
    });
    return { outcome, exec };
  }

  /** The gate's task once the ledger shows it waiting, read through a connection of its own (as the web server reads it). */
  async function waitingGate(runId: string): Promise<{ id: number; other: Ledger }> {
    const other = Ledger.open(join(dir, 'ledger.db'));
    const gate = await waitFor(() => other.tasksOfRun(runId).find((t) => t.task === 'gate deploy' && t.status === 'awaiting_approval' && t.approvalState === 'pending'), 5000, 'the gate to wait in the ledger');
    return { id: gate.id, other };
  }

  it('waits in the ledger while the prompt is shown, and takes an answer given there (the web dashboard, choiros approve), withdrawing the prompt', async () => {
    const run = ledger.createRun({ program: 'p.prose', programHash: 'h' });
    const gates = new TerminalGates();
    const { outcome, exec } = ask(run.id, gates);
    const { id, other } = await waitingGate(run.id);
    other.answerApproval(id, { state: 'approved', approver: 'alice', feedback: 'the key is sk-live-123456', option: null });
    other.close();
    expect((await outcome).status).toBe('succeeded');
    expect(gates.withdrawn).toBe(true);
    expect(exec.requests.map((r) => [r.file, ...r.args].join(' '))).toEqual(['deploy Yes']);
    expect(ledger.task(id)).toMatchObject({ status: 'succeeded', approvalState: 'approved', approver: 'alice', feedback: 'the key is [redacted]' });
  });

  it('records an answer typed at the terminal in the ledger, where one given elsewhere a moment earlier stands', async () => {
    const first = ledger.createRun({ program: 'p.prose', programHash: 'h' });
    const gates = new TerminalGates();
    const typed = ask(first.id, gates);
    const { id, other } = await waitingGate(first.id);
    gates.type({ answer: 'No', feedback: 'not today', by: 'tester' });
    expect((await typed.outcome).status).toBe('succeeded');
    expect(ledger.task(id)).toMatchObject({ status: 'succeeded', approvalState: 'rejected', approver: 'tester', feedback: 'not today' });
    expect(ledger.events({ runId: first.id }).filter((e) => e.event.type === 'task.approval')).toHaveLength(1);
    expect(typed.exec.requests.map((r) => [r.file, ...r.args].join(' '))).toEqual(['deploy No']);

    const second = ledger.createRun({ program: 'p.prose', programHash: 'h' });
    const racing = new TerminalGates();
    const raced = ask(second.id, racing);
    const gate = await waitingGate(second.id);
    // The page's answer lands first; the terminal's, typed in the same moment, comes second.
    gate.other.answerApproval(gate.id, { state: 'rejected', approver: 'alice', feedback: null });
    racing.type({ answer: 'Yes', feedback: '', by: 'tester' });
    gate.other.close();
    other.close();
    expect((await raced.outcome).status).toBe('succeeded');
    expect(raced.exec.requests.map((r) => [r.file, ...r.args].join(' '))).toEqual(['deploy No']);
    expect(ledger.task(gate.id)).toMatchObject({ status: 'succeeded', approvalState: 'rejected', approver: 'alice' });
  });
});
