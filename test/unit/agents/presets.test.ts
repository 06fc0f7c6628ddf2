import { describe, expect, it } from 'vitest';
import { invocation, type AgentSettings } from '../../../src/agents/presets.js';
import { agentSettings } from '../../../src/agents/router.js';
import { expandTemplate } from '../../../src/agents/template.js';
import { AgentSchema } from '../../../src/config/schema.js';
import type { AgentRequest } from '../../../src/runtime/ports.js';

const request = (overrides: Partial<AgentRequest> = {}): AgentRequest => ({
  agent: 'builder',
  prompt: 'Implement $(rm -rf /) `x` "y"',
  system: 'You build.',
  model: 'sonnet',
  context: [{ name: 'plan', text: 'step 1' }],
  skills: [],
  permissions: {},
  timeoutMs: undefined,
  memory: undefined,
  logName: '7-session',
  ...overrides,
});

function settings(config: Parameters<typeof AgentSchema.parse>[0]): AgentSettings {
  const found = agentSettings({ a: AgentSchema.parse(config) }).get('a');
  if (found === undefined) throw new Error('no settings');
  return found;
}

const files = (name: string) => `/tmp/x/${name}`;

describe('argv templates', () => {
  it('fills placeholders inside their own argument and drops empty ones with their flag', () => {
    expect(expandTemplate(['agent', '-p', '{prompt}', '--model', '{model}', '--sys={system}'], { prompt: 'a b; rm', model: '' })).toEqual(['agent', '-p', 'a b; rm', '--sys=']);
  });

  it('keeps an empty placeholder after a shell script: it is the script\'s "$1", and the rest must not renumber', () => {
    const template = ['sh', '-c', 'agent --model "$1" "$2"', 'sh', '{model}', '{prompt}'];
    expect(expandTemplate(template, { prompt: '$(touch x)', model: '' })).toEqual(['sh', '-c', 'agent --model "$1" "$2"', 'sh', '', '$(touch x)']);
  });

  it('keeps an empty placeholder after an interpreter\'s code too: it is the code\'s sys.argv[1]', () => {
    const template = ['python3', '-c', 'import sys; run(model=sys.argv[1], prompt=sys.argv[2])', '--model', '{model}', '{prompt}'];
    expect(expandTemplate(template, { prompt: 'hi', model: '' })).toEqual(['python3', '-c', 'import sys; run(model=sys.argv[1], prompt=sys.argv[2])', '--model', '', 'hi']);
  });

  it('runs a template as written, the prompt as one argument, context folded in', () => {
    const call = invocation(settings({ command: ['my-agent', '--ask', '{prompt}', '--model', '{model}'] }), request(), files);
    expect(call.argv).toEqual(['my-agent', '--ask', '## Instructions\n\nYou build.\n\nImplement $(rm -rf /) `x` "y"\n\n## Context\n\n### plan\n\nstep 1', '--model', 'sonnet']);
    expect(call.stdin).toBeUndefined();
  });

  it('sends the prompt on stdin when the template has no {prompt} or stdin is set, and the context to a file', () => {
    const call = invocation(settings({ command: ['my-agent', '--system', '{system}', '--context', '{context_file}'], stdin: true }), request(), files);
    expect(call.argv).toEqual(['my-agent', '--system', 'You build.', '--context', '/tmp/x/context.md']);
    expect(call.stdin).toBe('Implement $(rm -rf /) `x` "y"');
    expect(call.files).toEqual(new Map([['/tmp/x/context.md', '### plan\n\nstep 1\n']]));
  });
});

describe('presets', () => {
  it('claude: print mode with stream-json, model, system prompt and the prompt on stdin', () => {
    const call = invocation(settings({ preset: 'claude' }), request(), files);
    expect(call.argv).toEqual(['claude', '-p', '--output-format', 'stream-json', '--verbose', '--model', 'sonnet', '--append-system-prompt', 'You build.']);
    expect(call.stdin).toBe('Implement $(rm -rf /) `x` "y"\n\n## Context\n\n### plan\n\nstep 1');
  });

  it('claude: resumes its own session and denies the tools the permissions deny', () => {
    const call = invocation(settings({ command: ['claude', '--permission-mode', 'acceptEdits'] }), request({ memory: { transcript: 'old', sessionId: 'sess-9' }, permissions: { bash: 'deny', network: 'deny' } }), files);
    expect(call.argv).toEqual(['claude', '--permission-mode', 'acceptEdits', '-p', '--output-format', 'stream-json', '--verbose', '--model', 'sonnet', '--append-system-prompt', 'You build.', '--resume', 'sess-9', '--disallowedTools', 'Bash,WebFetch,WebSearch']);
    expect(call.stdin).not.toContain('old');
  });

  it('codex: exec --json reading stdin, with only the configured model', () => {
    const call = invocation(settings({ preset: 'codex', model: 'gpt-5-codex' }), request(), files);
    expect(call.argv).toEqual(['codex', 'exec', '--json', '-m', 'gpt-5-codex', '-']);
    expect(call.stdin?.startsWith('## Instructions\n\nYou build.')).toBe(true);
  });

  it('aider and goose: the prompt in a file', () => {
    const aider = invocation(settings({ preset: 'aider' }), request({ memory: { transcript: 'we did X', sessionId: null } }), files);
    expect(aider.argv).toEqual(['aider', '--message-file', '/tmp/x/prompt.md', '--yes-always', '--no-pretty', '--no-stream', '--model', 'sonnet']);
    expect(aider.files.get('/tmp/x/prompt.md')).toContain('## Your earlier sessions\n\nwe did X');
    expect(invocation(settings({ preset: 'goose' }), request(), files).argv).toEqual(['goose', 'run', '-i', '/tmp/x/prompt.md']);
  });

  it('infers the preset from the command and defaults to claude', () => {
    expect(settings({ command: ['codex', 'exec', '{prompt}'] }).preset).toBe('codex');
    expect(settings({ command: 'my-bot --fast' })).toMatchObject({ preset: 'command', command: ['my-bot', '--fast'] });
    expect(agentSettings(undefined).get('default')).toMatchObject({ preset: 'claude', timeoutMs: 1_800_000, idleTimeoutMs: 300_000 });
  });
});
