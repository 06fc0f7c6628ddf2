import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const agents = join(repo, 'test/fixtures/agents');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'prose-programs-'));
  mkdirSync(join(dir, '.git'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

function prose(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repo, 'bin/prose.js'), ...args], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1', CHOIROS_HOME: join(dir, '.home'), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('prose run with programs, memory and limits', () => {
  it('runs the imports fixture: a local program and an installed one, called with named inputs', async () => {
    write({
      'choiros.yaml': 'agents:\n  default: { preset: scripted, answers: answers.yaml }\n',
      'answers.yaml': 'default: ["ant facts", "short summary", "cite 1", "cite 2"]\n',
      'main.prose': readFileSync(join(repo, 'test/fixtures/prose/valid/imports-and-programs.prose'), 'utf8').replace('use "bob/summarize"', 'use "./lib/summarize"'),
      '.choiros/programs/alice/research.prose': 'input topic: "t"\ninput depth: "d"\noutput findings = session "Research {topic} to depth {depth}"\n',
      'lib/summarize.prose': 'input text: "t"\noutput summary = session "Summarize {text}"\n',
    });
    const run = await prose(['run', 'main.prose', 'topic=ants']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('→ session default: Research ants to depth 2');
    expect(run.stdout).toContain('→ session default: Summarize {"findings":"ant facts"}');
    expect(run.stdout).toContain('report = {"summary":"short summary"}');
  });

  it('names the places a missing installed program was looked for', async () => {
    write({ 'main.prose': 'use "alice/nothing"\nlet x = nothing()\n' });
    const run = await prose(['run', 'main.prose']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the program "alice/nothing" is not installed');
    expect(run.stderr).toContain(join(dir, '.choiros/programs/alice/nothing.prose'));
  });

  it('keeps a persistent agent\'s memory in .choiros/agents/NAME and resumes its claude session', async () => {
    const log = join(dir, 'calls.jsonl');
    write({
      'choiros.yaml': `agents:\n  default: { preset: claude, command: ["${join(agents, 'claude-like.mjs')}"] }\n`,
      'p.prose': 'agent captain:\n  persist: true\n  prompt: "You coordinate."\nsession: captain\n  prompt: "Plan the work"\nresume: captain\n  prompt: "Update the plan"\n',
    });
    const run = await prose(['run', 'p.prose'], { CLAUDE_LIKE_LOG: log });
    expect(run.code).toBe(0);
    const calls = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { args: string[] });
    expect(calls[0]?.args).not.toContain('--resume');
    expect(calls[1]?.args.slice(-2)).toEqual(['--resume', 'session-13']);
    const memory = readFileSync(join(dir, '.choiros/agents/captain/memory.md'), 'utf8');
    expect(memory).toContain('### Asked\n\nPlan the work\n\n### Answered\n\nAnswer to: Plan the work');
    expect(memory).toContain('Answer to: Update the plan (resumed)');
    expect(JSON.parse(readFileSync(join(dir, '.choiros/agents/captain/session.json'), 'utf8'))).toEqual({ sessionId: 'session-13' });
  });

  it('runs no more agents at once than max_parallel_agents', async () => {
    const log = join(dir, 'slow.log');
    write({
      'choiros.yaml': `max_parallel_agents: 1\nagents:\n  default: { command: ["sh", "${join(agents, 'slow.sh')}"], env: { SLOW_LOG: "${log}" } }\n`,
      'p.prose': 'parallel for x in [1, 2, 3]:\n  session "job {x}"\n',
    });
    const run = await prose(['run', 'p.prose']);
    expect(run.code).toBe(0);
    expect(readFileSync(log, 'utf8')).toBe('start\nend\nstart\nend\nstart\nend\n');
  });
});
