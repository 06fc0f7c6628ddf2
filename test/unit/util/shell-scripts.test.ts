import { describe, expect, it } from 'vitest';
import { findInterpolations } from '../../../src/prose/interpolation.js';
import { splitWords } from '../../../src/util/command-words.js';
import { shellCommands } from '../../../src/util/shell-lexer.js';
import { codeSpans, guardArgv, parameterize, refusal, shellScriptsIn } from '../../../src/util/shell-scripts.js';

/** The words of `text` with every `{name}` filled by `value`. */
function words(text: string, value = 'V') {
  return splitWords(text, findInterpolations(text), () => ({ text: value }));
}

/** The `{name}` places of a shell script, as `refusal` takes them. */
function refused(script: string): string | undefined {
  return refusal(script, findInterpolations(script));
}

describe('splitWords', () => {
  it('fills values inside their word and remembers where they went in', () => {
    expect(words("git commit -m 'fix: {msg}' {msg}", 'a b')).toEqual([
      { text: 'git', values: [] },
      { text: 'commit', values: [] },
      { text: '-m', values: [] },
      { text: 'fix: a b', values: [{ start: 5, end: 8 }] },
      { text: 'a b', values: [{ start: 0, end: 3 }] },
    ]);
  });

  it('gives each item of a list standing alone its own word, and keeps unbound braces literal', () => {
    const text = 'rm {files} {id}';
    expect(splitWords(text, findInterpolations(text), (h) => (text.slice(h.start, h.end) === '{files}' ? { text: '["a","b c"]', items: ['a', 'b c'] } : undefined)).map((w) => w.text)).toEqual(['rm', 'a', 'b c', '{id}']);
  });
});

describe('shellScriptsIn', () => {
  it.each([
    [['sh', '-c', 'echo hi'], [{ index: 2, shell: 'sh', posix: true }]],
    [['/bin/bash', '-euo', 'pipefail', '-c', 'make', 'bash', 'x'], [{ index: 4, shell: 'bash', posix: true }]],
    [['/usr/bin/env', 'bash', '-lc', 'make'], [{ index: 3, shell: 'bash', posix: true }]],
    [['timeout', '5', 'dash', '--norc', '-ec', 'make'], [{ index: 5, shell: 'dash', posix: true }]],
    [['xargs', '-I{}', 'zsh', '-c', 'echo {}'], [{ index: 4, shell: 'zsh', posix: true }]],
    [['ksh93', '-c', 'x'], [{ index: 2, shell: 'ksh', posix: true }]],
    [['sh', '-c', '"$@"', 'sh', 'bash', '-c', 'y'], [{ index: 2, shell: 'sh', posix: true }, { index: 6, shell: 'bash', posix: true }]],
    [['fish', '--command=echo hi'], [{ index: 1, shell: 'fish', posix: false }]],
    [['pwsh', '-Command', 'x'], [{ index: 2, shell: 'pwsh', posix: false }]],
    [['pwsh', '-NoProfile', '-EncodedCommand', 'x'], [{ index: 3, shell: 'pwsh', posix: false }]],
    [['powershell', '-enc', 'x'], [{ index: 2, shell: 'powershell', posix: false }]],
    [['pwsh', '-e', 'x'], [{ index: 2, shell: 'pwsh', posix: false }]],
  ])('finds the script of %j', (argv, expected) => {
    expect(shellScriptsIn(argv)).toEqual(expected);
  });

  it.each([[['sh', 'build.sh', '-c']], [['bash']], [['grep', '-c', 'sh', 'file']], [['ssh', 'host', '-c', 'aes']], [['sh', '-c']]])('finds no script in %j', (argv) => {
    expect(shellScriptsIn(argv)).toEqual([]);
  });
});

describe('parameterize', () => {
  it('refers to each value as a positional parameter quoted for where it stands', () => {
    expect(parameterize(['echo ', { value: '$(touch x)' }, " '", { value: 'a' }, "' \"", { value: 'b' }, '"'], 1)).toEqual({ script: `echo "\${1}" ''"\${2}"'' "\${3}"`, params: ['$(touch x)', 'a', 'b'] });
    expect(parameterize(['cp ', { value: 'a' }, ' ', { value: 'b' }], 10).script).toBe('cp "${10}" "${11}"');
  });
});

describe('guardArgv', () => {
  it('passes the values of a -c script after it, numbered after the words already there', () => {
    expect(guardArgv(words("sh -c 'echo {x}'"))).toEqual({ argv: ['sh', '-c', 'echo "${1}"', 'sh', 'V'] });
    expect(guardArgv(words("env bash -c 'echo \"$1\" {x}' zero one"))).toEqual({ argv: ['env', 'bash', '-c', 'echo "$1" "${2}"', 'zero', 'one', 'V'] });
    expect(guardArgv(words('sh script.sh {x}'))).toEqual({ argv: ['sh', 'script.sh', 'V'] });
  });

  it.each([
    ['sh -c {x}', 'a value inside the `sh -c` script: the whole script would be a value, and a value never runs as shell code'],
    ["sh -c 'bash -c \"echo {x}\"'", 'a value inside the `sh -c` script: a value would run as code in a nested `bash -c`'],
    ["bash -c 'echo {x} | sh'", 'a value inside the `bash -c` script: a value would run as code in a `sh` that reads its script from a pipe or heredoc'],
    ["sh -c 'eval {x}'", 'a value inside the `sh -c` script: a value would run as code in `eval`'],
    ["fish -c 'echo {x}'", 'a value inside the `fish -c` script: fish does not take values as "$1"'],
    ["sh -c 'echo {x}' sh bash -c 'echo {x}'", 'a value inside the `sh -c` script: values go into more than one shell script'],
  ])('refuses %s', (text, why) => {
    expect(guardArgv(words(text))).toEqual({ refused: why, hint: 'Pass the value through `env:` and read it from the environment, or as an argument after the script' });
  });

  it('refuses a value in the remote command of ssh, which the remote shell runs as one line', () => {
    for (const text of ['ssh host make {x}', 'ssh -p 2222 -o BatchMode=yes deploy@host ./ship {x}', '/usr/bin/ssh -vi key -- host "echo {x}"']) {
      expect(guardArgv(words(text))).toEqual({ refused: 'a value in the remote command of `ssh`: the remote shell would run it as code', hint: 'Send the value on stdin or in a file, and let the remote command read it from there' });
    }
    expect(guardArgv(words('ssh -p {x} {x} uptime'))).toEqual({ argv: ['ssh', '-p', 'V', 'V', 'uptime'] });
  });

  it('does not let quotes in a value steer where the script is read as code', () => {
    expect(guardArgv(words("sh -c 'echo {x}; echo done'", '"; bash -c "'))).toEqual({ argv: ['sh', '-c', 'echo "${1}"; echo done', 'sh', '"; bash -c "'] });
  });
});

describe('refusal (a shell: true script)', () => {
  it.each([
    ['cat {f} | wc -l'],
    ['echo {x} | grep sh'],
    ["x=$(printf %s {x}) && sh -c 'echo done'"],
    ['bash ./build.sh {target} 2>&1'],
    ["echo {x} || sh -c 'ls'"],
    ["sh -c 'echo \"$1\"' sh {x}"],
  ])('accepts %s', (script) => {
    expect(refused(script)).toBeUndefined();
  });

  it.each([
    ["bash -c 'echo {x}'", 'a nested `bash -c`'],
    ['echo "$(sh -c "echo {x}")"', 'a nested `sh -c`'],
    ['echo `bash -c "echo {x}"`', 'a nested `bash -c`'],
    ['eval "echo {x}"', '`eval`'],
    ['X=1 command eval {x}', '`eval`'],
    ["trap 'rm {x}' EXIT", '`trap`'],
    ['echo {x} | sh', 'a `sh` that reads its script from a pipe or heredoc'],
    ['printf %s {x} | (env bash -s)', 'a `bash` that reads its script from a pipe or heredoc'],
    ['echo {x} |& sh 2>&1', 'a `sh` that reads its script from a pipe or heredoc'],
    ['sh <<EOF\necho {x}\nEOF', 'a `sh` that reads its script from a pipe or heredoc'],
    ['bash <<< {x}', 'a `bash` that reads its script from a pipe or heredoc'],
    ['fish -c "echo {x}"', 'a nested `fish -c`'],
    ['ssh -p 22 host "cd app && make {x}"', 'the remote command of `ssh`'],
  ])('refuses %s', (script, where) => {
    expect(refused(script)).toBe(`a value would run as code in ${where}`);
  });

  it('refuses a script that is nothing but values', () => {
    expect(refused(' {cmd} ')).toBe('the whole script would be a value, and a value never runs as shell code');
  });
});

describe('shellCommands', () => {
  it('reads simple commands, pipelines, substitutions and redirections', () => {
    const commands = shellCommands("a 'b c' | d 2>&1 > out; e \"$(f g)\" && h <<EOF\n");
    expect(commands.map((c) => c.words.map((w) => w.text))).toEqual([['a', 'b c'], ['d'], ['f', 'g'], ['e', '\0'], ['h']]);
    expect(commands.map((c) => c.pipelineStart)).toEqual([0, 0, 29, 24, 38]);
    expect(commands.map((c) => c.heredoc)).toEqual([false, false, false, false, true]);
  });

  it('ends on any input, however broken', () => {
    for (const script of ['"', "'", '$(', '`', 'a | ', '((', '))', '<', '\\']) expect(() => shellCommands(script)).not.toThrow();
    expect(codeSpans('sh -c')).toEqual([]);
  });
});
