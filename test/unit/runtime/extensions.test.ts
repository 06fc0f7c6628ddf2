import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { FakeCheckpoints, FakeExec, FakeGates, FakeVerify, run } from './harness.js';

describe('exec', () => {
  it('splits the command into argv without a shell and gives exit code, stdout and stderr', async () => {
    const exec = new FakeExec(() => ({ exitCode: 0, stdout: 'built\n', stderr: '' }));
    const r = await run('let b = exec "npm run \'build all\'"\n  timeout: "10m"\n  cwd: "web"\n  env: {CI: true}\noutput b = b\n', { exec });
    expect(exec.requests).toEqual([{ file: 'npm', args: ['run', 'build all'], cwd: 'web', env: { CI: 'true' }, timeoutMs: 600_000, logName: '1-exec' }]);
    expect(r.outputs).toEqual({ b: { exit_code: 0, stdout: 'built\n', stderr: '' } });
    expect(r.journal.tasks[0]).toMatchObject({ task: "exec npm run 'build all'", inputs: { argv: ['npm', 'run', 'build all'], env: ['CI'] } });
  });

  it('keeps hostile values from arguments and agent output inside one argument', async () => {
    const exec = new FakeExec();
    const hostile = '$(touch pwned); `rm -rf /`; rm -rf ~ && echo "x"';
    const r = await run('input msg: "m"\nlet reply = session "commit message?"\nexec "git commit -m {msg} --trailer {reply}"\n', { exec, inputs: { msg: hostile }, answers: { default: "'; reboot; echo '" } });
    expect(r.status).toBe('succeeded');
    expect(exec.requests[0]?.file).toBe('git');
    expect(exec.requests[0]?.args).toEqual(['commit', '-m', hostile, '--trailer', "'; reboot; echo '"]);
  });

  it('passes values to a shell command only as positional parameters', async () => {
    const exec = new FakeExec();
    await run('input f: "file"\nexec "cat {f} | wc -l > \'{f}.count\'"\n  shell: true\n', { exec, inputs: { f: 'a b; rm -rf /' } });
    expect(exec.requests[0]).toMatchObject({ file: '/bin/sh', args: ['-c', 'cat "${1}" | wc -l > \'\'"${2}"\'.count\'', 'sh', 'a b; rm -rf /', 'a b; rm -rf /'] });
  });

  it('passes values to the script of `sh -c` as positional parameters, even without `shell: true`', async () => {
    const exec = new FakeExec();
    const hostile = "$(touch pwned)'; touch pwned2; echo '";
    const r = await run('input arg: "a"\nlet out = session "say"\nexec "sh -c \'echo {arg}\'"\nexec "/usr/bin/env bash -lc \\"printf \'%s\' {out}\\" zero"\n', { exec, inputs: { arg: hostile }, answers: { default: '`touch pwned3`' } });
    expect(r.status).toBe('succeeded');
    expect(exec.requests.map((q) => [q.file, ...q.args])).toEqual([
      ['sh', '-c', 'echo "${1}"', 'sh', hostile],
      ['/usr/bin/env', 'bash', '-lc', "printf '%s' \"${1}\"", 'zero', '`touch pwned3`'],
    ]);
  });

  it('refuses a value the script would hand to another shell, at the exec, before anything runs', async () => {
    const exec = new FakeExec();
    const r = await run('let tool = "sh"\nlet out = session "say"\nexec "{tool} -c \'bash -c \\"echo {out}\\"\'"\n', { exec });
    expect(r.status).toBe('failed');
    expect(exec.requests).toEqual([]);
    expect(r.error?.message).toBe('refusing a value inside the `sh -c` script: a value would run as code in a nested `bash -c`. Pass the value through `env:` and read it from the environment, or as an argument after the script');
    expect((r.error as { where?: string }).where).toBe('test.prose:3:6');
  });

  it('runs a command held in a variable as argv words, and refuses one that runs a shell script or asks for a shell', async () => {
    const exec = new FakeExec();
    const words = await run('let out = session "say"\nlet cmd = "git commit -m {out}"\nexec cmd\n', { exec, answers: { default: 'x' } });
    expect(words.status).toBe('succeeded');
    expect(exec.requests[0]).toMatchObject({ file: 'git', args: ['commit', '-m', 'x'] });
    const script = await run('let out = session "say"\nlet cmd = "sh -c \'echo {out}\'"\nexec cmd\n', { exec, answers: { default: '$(touch pwned)' } });
    expect(script.error?.message).toMatch(/^refusing to run `sh` with a script from a computed value: its values were filled in before the `exec`/);
    const list = await run('let out = session "say"\nlet argv = ["bash", "-c", out]\nexec argv\n', { exec });
    expect(list.error?.message).toMatch(/^refusing to run `bash` with a script from a computed value/);
    // `shell:` from a variable: the checker cannot see it (P119), the interpreter refuses.
    const shell = await run('let yes = true\nlet cmd = "echo hi"\nexec cmd\n  shell: yes\n', { exec });
    expect(shell.error?.message).toMatch(/^`shell: true` needs the command written as a string in the `exec` itself/);
    expect(exec.requests).toHaveLength(1);
  });

  it('records a command that timed out as failed even when on-fail lets the program go on, and points the task at its log', async () => {
    const exec = new FakeExec((q) => (q.args[0] === '30' ? { exitCode: 143, timedOut: true, description: 'timed out after 1s', logFile: '/logs/1-exec.log' } : { exitCode: 1, logFile: '/logs/2-exec.log' }));
    const r = await run('let r = exec "sleep 30"\n  timeout: 1\n  on-fail: "continue"\nlet g = exec "grep x y"\n  on-fail: "continue"\noutput codes = [r.exit_code, g.exit_code]\n', { exec });
    expect(r.outputs).toEqual({ codes: [143, 1] });
    expect(r.journal.tasks.map((t) => [t.task, t.status, t.reason, t.detail.outputsUri])).toEqual([
      ['exec sleep 30', 'failed', 'timed out after 1s', '/logs/1-exec.log'],
      ['exec grep x y', 'succeeded', null, '/logs/2-exec.log'],
    ]);
  });

  it('throws on a failing command unless on-fail says continue', async () => {
    const exec = new FakeExec(() => ({ exitCode: 2, stderr: 'lint errors' }));
    const failed = await run('exec "npm run lint"\n', { exec });
    expect(failed.status).toBe('failed');
    expect(failed.error?.message).toBe('exec `npm run lint` failed: exited 2\nlint errors');
    const kept = await run('let r = exec "npm run lint"\n  on-fail: "continue"\noutput code = r.exit_code\n', { exec: new FakeExec(() => ({ exitCode: 2 })) });
    expect(kept.outputs).toEqual({ code: 2 });
  });
});

describe('exec and session properties the run cannot use', () => {
  it.each([
    ['let t = "5 min"\nlet r = exec "sleep 5"\n  timeout: t\n', '`timeout` must be a duration like "30s", "5m" or "1h", or a number of seconds, not "5 min"', 'test.prose:3:12'],
    ['let r = exec "sleep 5"\n  timeout: -3\n', '`timeout` must be a duration like "30s", "5m" or "1h", or a number of seconds, not -3', 'test.prose:2:12'],
    ['let r = exec "ls"\n  on-fail: "bogus"\n', '`on-fail` must be "fail", "continue" or "ignore", not "bogus"', 'test.prose:2:12'],
    ['let r = exec "ls"\n  env: "CI=1"\n', '`env` must be a mapping of names to values, like {CI: true}', 'test.prose:2:8'],
    ['let r = exec "ls"\n  retry: "many"\n', '`retry` must be a whole number of attempts', 'test.prose:2:10'],
    ['let r = exec "ls"\n  backoff: sometimes\n', '`backoff` must be none, linear or exponential, not "sometimes"', 'test.prose:2:12'],
    ['let t = "a while"\ngate ship:\n  timeout: t\n', '`timeout` must be a duration like "30s", "5m" or "1h", or a number of seconds, not "a while"', 'test.prose:3:12'],
    ['session "hi"\n  retry: "many"\n', '`retry` must be a whole number of attempts', 'test.prose:2:10'],
    ['session "hi"\n  backoff: sometimes\n', '`backoff` must be none, linear or exponential, not "sometimes"', 'test.prose:2:12'],
    ['let t = "soon"\nsession "hi"\n  timeout: t\n', '`timeout` must be a duration like "30s", "5m" or "1h", or a number of seconds, not "soon"', 'test.prose:3:12'],
  ])('fails %j at the property instead of running without it (a literal is P122 in the checker already)', async (program, message, where) => {
    const exec = new FakeExec();
    const r = await run(program, { exec });
    expect(r.status).toBe('failed');
    expect(r.error?.message).toBe(message);
    expect((r.error as { where?: string } | undefined)?.where).toBe(where);
    expect(exec.requests).toEqual([]);
  });
});

describe('a step whose port refuses it', () => {
  it('fails at the statement: an unknown rollback target says where it was written', async () => {
    class Refusing extends FakeCheckpoints {
      override async rollback(target: string | undefined): Promise<{ target: string; undo: string | null; changed: number }> {
        throw new UsageError(`There is no checkpoint or commit named '${target ?? ''}'.`);
      }
    }
    const r = await run('session "hi"\nrollback to nosuch\n', { checkpoints: new Refusing() });
    expect(r.error?.message).toBe("There is no checkpoint or commit named 'nosuch'.");
    expect((r.error as { where?: string } | undefined)?.where).toBe('test.prose:2:1');
  });
});

describe('verify, checkpoint, rollback and gate', () => {
  it('runs the agentic loop: checkpoint, verify, rollback and retry until the gates pass', async () => {
    const verify = new FakeVerify([
      { passed: false, status: 'fail', digest: 'unit: 1 failing (adds)' },
      { passed: false, status: 'fail', digest: 'unit: 1 failing (adds)' },
      { passed: true, status: 'pass', digest: 'all gates passed' },
    ]);
    const program = [
      'checkpoint good "baseline"',
      'let result = verify unit, lint',
      'loop until result.passed (max: 4) as attempt:',
      '  rollback',
      '  session "Attempt {attempt}: {result.digest}"',
      '  result = verify unit, lint',
      'if result:',
      '  checkpoint good "green"',
    ].join('\n');
    const r = await run(program, { verify });
    expect(r.status).toBe('succeeded');
    expect(verify.calls).toEqual([
      ['unit', 'lint'],
      ['unit', 'lint'],
      ['unit', 'lint'],
    ]);
    expect(r.prompts).toEqual(['default: Attempt 0: unit: 1 failing (adds)', 'default: Attempt 1: unit: 1 failing (adds)']);
    expect(r.checkpoints.log).toEqual(['checkpoint 1 good baseline', 'rollback (last good)', 'rollback (last good)', 'checkpoint 2 good green']);
    expect(r.journal.checkpoints).toEqual([
      { name: 'cp-1', commit: 'c0ffee1', verdict: 'good' },
      { name: 'cp-2', commit: 'c0ffee2', verdict: 'good' },
    ]);
    expect(r.journal.rollbacks).toHaveLength(2);
  });

  it('rolls back to a checkpoint held in a variable or named by a bare word', async () => {
    const r = await run('let base = checkpoint "base"\nrollback to base\nrollback to checkpoint-20250101-120000\n');
    expect(r.checkpoints.log).toEqual(['checkpoint 1 base', 'rollback cp-1', 'rollback checkpoint-20250101-120000']);
  });

  it('asks a gate and gives the option with its feedback', async () => {
    const gates = new FakeGates([{ answer: 'Modify', feedback: 'use tabs', by: 'ada' }]);
    const program = ['let d = gate deploy:', '  prompt: "Deploy?"', '  options: ["Yes", "No", "Modify"]', 'if d == "Modify":', '  session "Apply: {d.feedback}"'].join('\n');
    const r = await run(program, { gates });
    expect(gates.asked).toEqual([{ name: 'deploy', prompt: 'Deploy?', options: ['Yes', 'No', 'Modify'], timeoutMs: undefined, fallback: undefined }]);
    expect(r.prompts).toEqual(['default: Apply: use tabs']);
  });

  it('stops the run awaiting approval when no one can answer and there is no default', async () => {
    const r = await run('session "before"\ngate deploy:\n  prompt: "Deploy?"\nsession "after"\n', { gates: new FakeGates([undefined]) });
    expect(r.status).toBe('awaiting_approval');
    expect(r.prompts).toEqual(['default: before']);
    expect(r.journal.tasks.map((t) => `${t.task} ${t.status}`)).toEqual(['session default succeeded', 'gate deploy awaiting_approval']);
  });

  it('never waits for a human in autonomous mode: on_timeout answers', async () => {
    const gates = new FakeGates();
    const r = await run('let d = gate deploy:\n  prompt: "Deploy?"\n  on_timeout: "No"\noutput d = d\n', { gates, autonomous: true });
    expect(gates.asked).toEqual([]);
    expect(r.outputs.d?.toString()).toBeDefined();
    expect(r.journal.tasks[0]).toMatchObject({ status: 'succeeded', meta: { answer: 'No', by: 'default' } });
  });
});
