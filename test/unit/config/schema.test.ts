import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/errors.js';
import { facts } from '../../helpers/facts.js';

async function issuesOf(text: string): Promise<string[]> {
  try {
    await parseConfigText(text, 'choiros.yaml', facts());
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

const VALID = `
session: my-app
windows:
  - name: db
    command: postgres -D data
    ready: { tcp: 5432, timeout: 30s }
  - name: api
    command: cargo run -p sandbox
    cwd: .
    env: { RUST_LOG: debug, PORT: 8080 }
    ready: { http: "http://127.0.0.1:8080/health", timeout: 60s }
    restart: on-failure
    max_restarts: 3
    depends_on: [db]
  - name: watcher
    command: choiros watch
verify:
  unit: { run: "npm test", junit: .choiros/junit.xml }
  coverage: { run: "npm run coverage", lcov: coverage/lcov.info, min: 85 }
agents:
  default: { command: ["claude", "-p", "{prompt}"], timeout: 30m, idle_timeout: 5m }
checkpoints: { interval: 5m, keep: 50 }
notify:
  - { kind: slack, url: "\${SLACK_WEBHOOK}", on: [awaiting_approval, failed, finished] }
`;

describe('choiros.yaml schema', () => {
  it('accepts the documented example and converts durations to milliseconds', async () => {
    const config = await parseConfigText(VALID, 'choiros.yaml', facts());
    expect(config.session).toBe('my-app');
    expect(config.windows?.map((w) => w.name)).toEqual(['db', 'api', 'watcher']);
    const api = config.windows?.[1];
    expect(api?.ready?.timeout).toBe(60_000);
    expect(api?.ready?.interval).toBe(500);
    expect(api?.env).toEqual({ RUST_LOG: 'debug', PORT: '8080' });
    expect(api?.backoff).toBe(1000);
    expect(config.windows?.[2]?.restart).toBe('on-failure');
    expect(config.agents?.default?.timeout).toBe(1_800_000);
    expect(config.checkpoints.interval).toBe(300_000);
    expect(config.verify?.coverage?.min).toBe(85);
  });

  it('reads a bare checkpoints.interval as minutes, like the checkpoint_interval run setting, and other bare durations as seconds', async () => {
    const config = await parseConfigText('checkpoints: { interval: 10 }\nagents:\n  default: { command: ["claude"], timeout: 90 }\n', 'choiros.yaml', facts());
    expect(config.checkpoints.interval).toBe(600_000);
    expect(config.agents?.default?.timeout).toBe(90_000);
    expect((await parseConfigText('checkpoints: { interval: 30s }\n', 'choiros.yaml', facts())).checkpoints.interval).toBe(30_000);
    expect((await parseConfigText('checkpoints: { interval: 0 }\n', 'choiros.yaml', facts())).checkpoints.interval).toBe(0);
  });

  it('fills in the six default windows when the file names none', async () => {
    const config = await parseConfigText('session: x\n', 'choiros.yaml', facts({ dev: 'vite' }));
    expect(config.windows?.map((w) => w.name)).toEqual(['editor', 'api', 'ui', 'watcher', 'e2e', 'logs']);
  });

  it('names the key path and position of a bad URL', async () => {
    const text = `windows:
  - name: a
  - name: b
  - name: c
    ready: { http: "not a url" }
`;
    expect(await issuesOf(text)).toEqual(['choiros.yaml:5:20: windows[2].ready.http: expected a URL']);
  });

  it('reports unknown keys at the key itself', async () => {
    expect(await issuesOf('windows:\n  - name: a\n    comand: ls\n')).toEqual(['choiros.yaml:3:5: windows[0].comand: unknown key']);
    expect(await issuesOf('sesion: x\n')).toEqual(['choiros.yaml:1:1: sesion: unknown key']);
  });

  it('reports wrong types with what was found', async () => {
    expect(await issuesOf('windows:\n  - name: a\n    max_restarts: many\n')).toEqual([
      'choiros.yaml:3:19: windows[0].max_restarts: expected a number, got "many"',
    ]);
    expect(await issuesOf('windows:\n  - name: a\n    restart: sometimes\n')).toEqual([
      'choiros.yaml:3:14: windows[0].restart: expected one of no, on-failure, always, got "sometimes"',
    ]);
  });

  it('reports a missing required key', async () => {
    expect(await issuesOf('windows:\n  - command: ls\n')).toEqual(['choiros.yaml:2:5: windows[0].name: required: expected a string']);
  });

  it('reports bad durations, probes with no kind and probes with two', async () => {
    expect(await issuesOf('windows:\n  - name: a\n    ready: { tcp: 80, timeout: soon }\n')).toEqual([
      'choiros.yaml:3:32: windows[0].ready.timeout: expected a duration like 500ms, 30s, 5m or 1h',
    ]);
    expect(await issuesOf('windows:\n  - name: a\n    ready: { timeout: 5s }\n')).toEqual([
      'choiros.yaml:3:12: windows[0].ready: expected one of http, tcp, log or exec',
    ]);
    expect(await issuesOf('windows:\n  - name: a\n    ready: { tcp: 80, exec: "true" }\n')).toEqual([
      'choiros.yaml:3:12: windows[0].ready: expected only one of tcp, exec',
    ]);
  });

  it('refuses an agent placeholder inside a shell script, with the template that passes it as an argument', async () => {
    expect(await issuesOf('agents:\n  default: { command: ["sh", "-c", "echo got: {prompt}"] }\n  wrapped:\n    command: ["env", "bash", "-lc", "agent --model {model} {prompt}", "bash", "x"]\n')).toEqual([
      'choiros.yaml:2:36: agents.default.command[2]: {prompt} inside the `sh -c` script would run as shell code; pass it after the script, as its arguments: ["sh","-c","echo got: \\"${1}\\"","sh","{prompt}"]',
      'choiros.yaml:4:37: agents.wrapped.command[3]: {model}, {prompt} inside the `bash -c` script would run as shell code; pass them after the script, as its arguments: ["env","bash","-lc","agent --model \\"${2}\\" \\"${3}\\"","bash","x","{model}","{prompt}"]',
    ]);
    expect(await issuesOf('agents:\n  default: { command: "sh -c \'my-agent {prompt}\'" }\n')).toEqual([expect.stringMatching(/^choiros\.yaml:2:23: agents\.default\.command: \{prompt\} inside the `sh -c` script/)]);
    expect(await issuesOf('agents:\n  remote: { command: ["ssh", "-p", "22", "box", "agent", "--ask", "{prompt}"] }\n')).toEqual([
      'choiros.yaml:2:67: agents.remote.command[6]: a placeholder in the remote command of `ssh` would run as shell code on the remote host; send the prompt on stdin instead (`stdin: true`, no placeholder in the command)',
    ]);
    const safe = await parseConfigText('agents:\n  default: { command: ["sh", "-c", "my-agent \\"$1\\"", "sh", "{prompt}"] }\n  plain: { command: ["claude", "-p", "{prompt}"] }\n', 'choiros.yaml', facts());
    expect(safe.agents?.plain?.command).toEqual(['claude', '-p', '{prompt}']);
  });

  it.each([
    [['python3', '-c', 'print({prompt})'], 2, '`python3 -c` runs would run as Python code; pass it as a separate argument after the code (the code reads it as `sys.argv[1]`)'],
    [['node', '-e', 'run({prompt})'], 2, '`node -e` runs would run as JavaScript code; pass it as a separate argument after the code (the code reads it as `process.argv[1]`)'],
    [['node', '--eval', 'run({prompt})'], 2, '`node --eval` runs would run as JavaScript code'],
    [['node', '-p', '{prompt}'], 2, '`node -p` runs would run as JavaScript code'],
    [['node', '--print={prompt}'], 1, '`node --print` runs would run as JavaScript code'],
    [['perl', '-e', 'print "{prompt}"'], 2, '`perl -e` runs would run as Perl code; pass it as a separate argument after the code (the code reads it as `$ARGV[0]`)'],
    [['perl', '-E', 'say "{prompt}"'], 2, '`perl -E` runs would run as Perl code'],
    [['ruby', '-e', 'puts "{prompt}"'], 2, '`ruby -e` runs would run as Ruby code; pass it as a separate argument after the code (the code reads it as `ARGV[0]`)'],
    [['php', '-r', 'echo "{prompt}";'], 2, '`php -r` runs would run as PHP code; pass it as a separate argument after the code (the code reads it as `$argv[1]`)'],
    [['deno', 'eval', 'console.log("{prompt}")'], 2, '`deno eval` runs would run as JavaScript code; pass it as a separate argument after the code (the code reads it as `Deno.args[0]`)'],
    [['bun', '-e', 'console.log("{prompt}")'], 2, '`bun -e` runs would run as JavaScript code'],
    [['osascript', '-e', 'display dialog "{prompt}"'], 2, '`osascript -e` runs would run as AppleScript code'],
    [['lua', '-e', 'print("{prompt}")'], 2, '`lua -e` runs would run as Lua code; pass it as a separate argument after the code, or send'],
    [['Rscript', '-e', 'cat("{prompt}")'], 2, '`Rscript -e` runs would run as R code'],
    [['env', 'PYTHONUTF8=1', 'python', '-c', 'print({prompt})'], 4, '`python -c` runs would run as Python code'],
    [['awk', 'BEGIN { print "{prompt}" }'], 1, '`awk PROGRAM` runs would run as awk code; pass it through the environment, where the program reads it as it is with `ENVIRON["NAME"]`'],
    [['sed', '-n', 's/x/{prompt}/p', 'notes.txt'], 2, '`sed SCRIPT` runs would run as sed code; pass it in the file sed edits instead (a sed script cannot read a value)'],
    [['jq', '-n', '{prompt}'], 2, '`jq FILTER` runs would run as jq code; pass it with `--arg name VALUE` (the filter reads it as `$name`)'],
  ])('refuses an agent placeholder inside the code of %j, naming the word', async (command, index, why) => {
    const issues = await issuesOf(`agents:\n  foo: { command: ${JSON.stringify(command)} }\n`);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(new RegExp(`^choiros\\.yaml:2:\\d+: agents\\.foo\\.command\\[${index}\\]: \\{prompt\\} inside the code that `));
    expect(issues[0]).toContain(why);
    expect(issues[0]).toContain('or send the prompt on stdin (`stdin: true`)');
  });

  it('refuses an agent placeholder in a pwsh script without suggesting "$1", and takes the code reading an argument', async () => {
    expect(await issuesOf('agents:\n  ps: { command: ["pwsh", "-Command", "agent {prompt}"] }\n')).toEqual([
      'choiros.yaml:2:39: agents.ps.command[2]: {prompt} inside the `pwsh` script would run as shell code, and pwsh does not read the words after its script as "$1"; send the prompt on stdin instead (`stdin: true`, no placeholder in the command)',
    ]);
    expect(await issuesOf('agents:\n  ps: { command: ["pwsh", "-EncodedCommand", "{prompt}"] }\n')).toEqual([
      'choiros.yaml:2:46: agents.ps.command[2]: {prompt} inside the `pwsh` script would run as shell code, and pwsh does not read the words after its script as "$1"; send the prompt on stdin instead (`stdin: true`, no placeholder in the command)',
    ]);
    const safe = await parseConfigText('agents:\n  py: { command: ["python3", "-c", "import sys; run(sys.argv[1])", "{prompt}"] }\n  jq: { command: ["jq", "-n", "--arg", "p", "{prompt}", "$p"] }\n', 'choiros.yaml', facts());
    expect(safe.agents?.py?.command).toEqual(['python3', '-c', 'import sys; run(sys.argv[1])', '{prompt}']);
    expect(safe.agents?.jq?.command).toEqual(['jq', '-n', '--arg', 'p', '{prompt}', '$p']);
  });

  it('rejects duplicate windows, unknown dependencies and cycles', async () => {
    expect(await issuesOf('windows:\n  - name: a\n  - name: a\n')).toEqual(["choiros.yaml:3:11: windows[1].name: duplicate window name 'a'"]);
    expect(await issuesOf('windows:\n  - name: a\n    depends_on: [db]\n')).toEqual(["choiros.yaml:3:18: windows[0].depends_on[0]: unknown window 'db'"]);
    expect(await issuesOf('windows:\n  - name: a\n    depends_on: [b]\n  - name: b\n    depends_on: [a]\n')).toEqual([
      'choiros.yaml:3:17: windows[0].depends_on: dependency cycle: a -> b -> a',
    ]);
  });

  it('takes started and health as webhook events, which a target without on: is not sent', async () => {
    const config = await parseConfigText('notify:\n  - { kind: slack, url: "https://hooks.example/x", on: [started, health, failed] }\n', 'choiros.yaml', facts());
    expect(config.notify?.[0]?.on).toEqual(['started', 'health', 'failed']);
    expect((await issuesOf('notify:\n  - { kind: slack, url: "https://hooks.example/x", on: [begun] }\n'))[0]).toContain('started');
  });

  it('rejects window names that tmux or file paths would mangle', async () => {
    expect(await issuesOf('windows:\n  - name: "my api"\n')).toEqual([
      'choiros.yaml:2:11: windows[0].name: expected a window name: a letter, then letters, digits, _ or -',
    ]);
  });

  it('reports YAML syntax errors with their position', async () => {
    const lines = await issuesOf('windows:\n  - name: a\n   bad: [\n');
    expect(lines[0]).toMatch(/^choiros\.yaml:3:\d+: /);
    for (const line of lines) expect(line).toMatch(/^choiros\.yaml:\d+:\d+: \S/);
  });

  it('rejects a top level that is not a mapping', async () => {
    expect(await issuesOf('- a\n- b\n')).toEqual(['choiros.yaml:1:1: expected a mapping of keys (session, windows, …) at the top level']);
  });

  it('collects every problem in file order', async () => {
    const lines = await issuesOf('windows:\n  - name: a\n    restart: maybe\n  - name: b\n    bogus: 1\n');
    expect(lines).toEqual([
      'choiros.yaml:3:14: windows[0].restart: expected one of no, on-failure, always, got "maybe"',
      'choiros.yaml:5:5: windows[1].bogus: unknown key',
    ]);
  });

  it('says what a lower bound excludes: a positive count is at least 1, not "at least 0"', async () => {
    expect(await issuesOf('checkpoints: { keep: 0 }\nrun: { max_iterations: 0 }\n')).toEqual([
      'choiros.yaml:1:22: checkpoints.keep: expected more than 0',
      'choiros.yaml:2:24: run.max_iterations: expected more than 0',
    ]);
  });

  it('reports a missing command of a gate as required, not as "unexpected value undefined"', async () => {
    expect(await issuesOf('verify:\n  unit: { junit: report.xml }\n')).toEqual(['choiros.yaml:2:9: verify.unit.run: required: expected a string or a list']);
  });

  it('names what an environment map expects of its keys and values', async () => {
    expect(await issuesOf('windows:\n  - name: a\n    env: { "1X": a, B: [1] }\n')).toEqual([
      'choiros.yaml:3:12: windows[0].env["1X"]: expected an environment variable name',
      'choiros.yaml:3:24: windows[0].env.B: expected a string, a number or true or false, got a list',
    ]);
  });

  it('refuses a host:port probe whose port is out of range', async () => {
    expect(await issuesOf('windows:\n  - name: a\n    ready: { tcp: "localhost:99999" }\n')).toEqual(['choiros.yaml:3:19: windows[0].ready.tcp: expected a port (1-65535) or host:port']);
  });
});
