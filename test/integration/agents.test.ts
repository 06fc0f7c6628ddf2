import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandAgent } from '../../src/agents/command-agent.js';
import type { AgentSettings } from '../../src/agents/presets.js';
import { isAlive } from '../../src/process/tree.js';
import type { AgentRequest } from '../../src/runtime/ports.js';
import { Redactor } from '../../src/notify/redact.js';
import { waitFor } from '../helpers/wait.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/agents/${name}`, import.meta.url));
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'choiros-agents-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function settings(overrides: Partial<AgentSettings>): AgentSettings {
  return { name: 'default', preset: 'command', command: undefined, stdin: undefined, model: undefined, cwd: undefined, env: undefined, answers: undefined, timeoutMs: 20_000, idleTimeoutMs: 20_000, ...overrides };
}

function request(prompt: string, overrides: Partial<AgentRequest> = {}): AgentRequest {
  return { agent: 'default', prompt, system: undefined, model: undefined, context: [], skills: [], permissions: {}, timeoutMs: undefined, memory: undefined, logName: '1-session', ...overrides };
}

function agent(overrides: Partial<AgentSettings>, env: NodeJS.ProcessEnv = process.env) {
  return new CommandAgent(settings(overrides), { root: dir, logDir: join(dir, 'logs'), env, secrets: new Redactor(['hunter2-secret']), killGraceMs: 300 });
}

async function call(adapter: CommandAgent, req: AgentRequest, signal = new AbortController().signal) {
  const shown: string[] = [];
  let pid: number | undefined;
  const result = await adapter.run(req, { signal, onOutput: (c) => shown.push(c), onSpawn: (p) => (pid = p) });
  return { result, shown: shown.join(''), pid };
}

const pidOf = (file: string) => Number(readFileSync(file, 'utf8').trim());

describe('a command agent', () => {
  it('runs a claude-like CLI: stream-json parsed for the result, cost and session id; output shown and logged', async () => {
    const log = join(dir, 'calls.jsonl');
    const claude = agent({ preset: 'claude', command: [fixture('claude-like.mjs')] }, { ...process.env, CLAUDE_LIKE_LOG: log });
    const { result, shown, pid } = await call(claude, request('Fix the build\nwith the key hunter2-secret', { model: 'opus', system: 'Be careful.' }));
    expect(result).toMatchObject({ ok: true, text: 'Answer to: Fix the build', costUsd: 0.0125, sessionId: 'session-41', exitCode: 0, logFile: join(dir, 'logs', '1-session.log') });
    expect(pid).toBeGreaterThan(0);
    expect(shown).toBe('Working on: Fix the build\n→ Bash: npm test\n✓ done ($0.0125)\n');
    const [seen] = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { args: string[]; prompt: string });
    expect(seen?.args).toEqual(['-p', '--output-format', 'stream-json', '--verbose', '--model', 'opus', '--append-system-prompt', 'Be careful.']);
    expect(seen?.prompt).toBe('Fix the build\nwith the key hunter2-secret');
    const logged = readFileSync(result.logFile ?? '', 'utf8');
    expect(logged).toContain('"type":"result"');
    expect(logged).not.toContain('hunter2-secret');
    const resumed = await call(claude, request('Continue', { memory: { transcript: 'x', sessionId: 'session-41' }, logName: '2-session' }));
    expect(resumed.result).toMatchObject({ text: 'Answer to: Continue (resumed)', sessionId: 'session-41' });
  });

  it('reports a failing agent with its exit and the last line of stderr', async () => {
    const { result } = await call(agent({ preset: 'claude', command: [fixture('claude-like.mjs')] }), request('FAIL now'));
    expect(result).toMatchObject({ ok: false, exitCode: 1, error: 'exited 1: Error: the model is overloaded' });
  });

  it('ends the whole tree at the hard timeout, a grandchild ignoring SIGTERM included', async () => {
    const base = join(dir, 'hard');
    const { result } = await call(agent({ command: ['sh', fixture('stubborn.sh')], timeoutMs: 1200, env: { PID_BASE: base } }), request('go'));
    expect(result).toMatchObject({ ok: false, error: 'timed out after 1s' });
    expect(isAlive(pidOf(`${base}.leader`))).toBe(false);
    expect(isAlive(pidOf(`${base}.grandchild`))).toBe(false);
  });

  it('ends the whole tree when the agent goes quiet for the idle timeout', async () => {
    const base = join(dir, 'idle');
    const { result, shown } = await call(agent({ command: ['sh', fixture('stubborn.sh')], idleTimeoutMs: 600, env: { PID_BASE: base, QUIET: '1' } }), request('go'));
    expect(result).toMatchObject({ ok: false, error: 'no output for 600ms' });
    expect(shown).toBe('started\n');
    expect(isAlive(pidOf(`${base}.leader`))).toBe(false);
    expect(isAlive(pidOf(`${base}.grandchild`))).toBe(false);
  });

  it('ends the tree when cancelled', async () => {
    const base = join(dir, 'cancel');
    const controller = new AbortController();
    const running = call(agent({ command: ['sh', fixture('stubborn.sh')], env: { PID_BASE: base } }), request('go'), controller.signal);
    await waitFor(() => existsSync(`${base}.grandchild`) && existsSync(`${base}.leader`), 5000, 'the tree');
    controller.abort();
    expect((await running).result).toMatchObject({ ok: false, error: 'cancelled' });
    await waitFor(() => !isAlive(pidOf(`${base}.grandchild`)), 3000, 'the grandchild to end');
  });

  it('gives a hostile prompt to the agent as one inert argument', async () => {
    const hostile = '$(touch pwned); `touch pwned2`; rm -rf ./important && echo "quoted"';
    const { result } = await call(agent({ command: ['sh', fixture('echo-args.sh'), '--message', '{prompt}'], stdin: undefined }), request(hostile));
    expect(result.text).toBe(`arg: --message\narg: ${hostile}\nstdin:`);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(existsSync(join(dir, 'pwned2'))).toBe(false);
  });

  it('says so when the agent binary is missing', async () => {
    const { result } = await call(agent({ command: ['choiros-no-such-agent', '{prompt}'] }), request('x'));
    expect(result).toMatchObject({ ok: false, error: 'choiros-no-such-agent: command not found' });
  });
});
