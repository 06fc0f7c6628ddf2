import { describe, expect, it } from 'vitest';
import { codeArgumentsIn } from '../../../src/util/code-arguments.js';

/** The words an argv's interpreters run as code, with the option that makes them code. */
const code = (argv: string[]) => codeArgumentsIn(argv).map((c) => `${c.program} ${c.option} → ${argv[c.index] ?? ''}`);

describe('codeArgumentsIn', () => {
  it.each([
    [['python', '-c', 'CODE'], ['python -c → CODE']],
    [['python3', '-c', 'CODE', 'arg'], ['python3 -c → CODE']],
    [['/usr/bin/python3.12', '-I', '-c', 'CODE'], ['python3.12 -c → CODE']],
    [['python3', '-Ic', 'CODE'], ['python3 -c → CODE']],
    [['python3', '-cCODE'], ['python3 -c → -cCODE']],
    [['python3', '-W', 'ignore', '-c', 'CODE'], ['python3 -c → CODE']],
    [['node', '-e', 'CODE'], ['node -e → CODE']],
    [['node', '--eval', 'CODE'], ['node --eval → CODE']],
    [['node', '--eval=CODE'], ['node --eval → --eval=CODE']],
    [['node', '-p', 'CODE'], ['node -p → CODE']],
    [['node', '--print', 'CODE'], ['node --print → CODE']],
    [['node', '-r', 'ts-node/register', '--input-type', 'module', '-e', 'CODE'], ['node -e → CODE']],
    [['perl', '-e', 'CODE'], ['perl -e → CODE']],
    [['perl', '-E', 'CODE'], ['perl -E → CODE']],
    [['perl', '-lne', 'CODE', 'file'], ['perl -e → CODE']],
    [['perl', '-l0777ne', 'CODE'], ['perl -e → CODE']],
    [['perl', '-0777e', 'CODE'], ['perl -e → CODE']],
    [['perl', "-e'CODE'"], ["perl -e → -e'CODE'"]],
    [['perl', '-MData::Dumper', '-e', 'CODE'], ['perl -e → CODE']],
    [['perl', '-e', 'ONE', '-e', 'TWO'], ['perl -e → ONE', 'perl -e → TWO']],
    [['ruby', '-e', 'CODE'], ['ruby -e → CODE']],
    [['ruby', '-ne', 'CODE'], ['ruby -e → CODE']],
    [['ruby', '-E', 'UTF-8', '-e', 'CODE'], ['ruby -e → CODE']],
    [['php', '-r', 'CODE'], ['php -r → CODE']],
    [['php', '-d', 'x=1', '-r', 'CODE'], ['php -r → CODE']],
    [['deno', 'eval', 'CODE'], ['deno eval → CODE']],
    [['deno', 'eval', '--ext', 'ts', '-p', 'CODE'], ['deno eval → CODE']],
    [['bun', '-e', 'CODE'], ['bun -e → CODE']],
    [['bun', '--print', 'CODE'], ['bun --print → CODE']],
    [['osascript', '-e', 'ONE', '-e', 'TWO'], ['osascript -e → ONE', 'osascript -e → TWO']],
    [['lua', '-e', 'CODE'], ['lua -e → CODE']],
    [['lua5.4', '-l', 'mod', '-e', 'CODE'], ['lua5.4 -e → CODE']],
    [['Rscript', '-e', 'CODE'], ['Rscript -e → CODE']],
    [['R', '--no-echo', '-e', 'CODE'], ['R -e → CODE']],
    [['su', 'deploy', '-c', 'CMD'], ['su -c → CMD']],
    [['su', '-', 'deploy', '--command', 'CMD'], ['su --command → CMD']],
    [['env', 'VAR=x', 'python', '-c', 'CODE'], ['python -c → CODE']],
    [['env', '-i', 'nice', '-n', '5', 'node', '-e', 'CODE'], ['node -e → CODE']],
    [['xargs', '-0', 'node', '-e', 'CODE'], ['node -e → CODE']],
    [['awk', 'PROG', 'file'], ['awk PROGRAM → PROG']],
    [['gawk', '-F:', '-v', 'x=1', 'PROG', 'file'], ['gawk PROGRAM → PROG']],
    [['awk', '-F', ':', '--', 'PROG'], ['awk PROGRAM → PROG']],
    [['mawk', '-e', 'PROG', 'file'], ['mawk -e → PROG']],
    [['gawk', '--source=PROG'], ['gawk --source → --source=PROG']],
    [['sed', 'SCRIPT', 'file'], ['sed SCRIPT → SCRIPT']],
    [['sed', '-n', '-i.bak', 'SCRIPT', 'file'], ['sed SCRIPT → SCRIPT']],
    [['sed', '-ne', 'SCRIPT', 'file'], ['sed -e → SCRIPT']],
    [['sed', 'file', '--expression', 'SCRIPT'], ['sed --expression → SCRIPT']],
    [['jq', '-r', 'FILTER', 'data.json'], ['jq FILTER → FILTER']],
    [['jq', '--arg', 'name', 'value', 'FILTER'], ['jq FILTER → FILTER']],
    [['jq', '--indent', '4', '-c', 'FILTER'], ['jq FILTER → FILTER']],
  ])('finds the code in %j', (argv, expected) => {
    expect(code(argv)).toEqual(expected);
  });

  it.each([
    [['python3', 'script.py', '-c', 'x']],
    [['python3', '-m', 'pytest', '-c', 'setup.cfg']],
    [['node', 'cli.js', '-e', 'x']],
    [['node', '--', '-e', 'x']],
    [['perl', 'script.pl', '-e', 'x']],
    [['ruby', '-I', 'lib', 'app.rb', '-e', 'x']],
    [['deno', 'run', 'main.ts', 'eval', 'x']],
    [['bun', 'run', 'test', '-e', 'x']],
    [['claude', '-p', 'x']],
    [['my-python', '-c', 'x']],
    [['python']],
    [['node', '-e']],
    [['awk', '-f', 'prog.awk', 'data']],
    [['gawk', '--file=prog.awk', 'data']],
    [['awk', '-v', 'x=VALUE', '-f', 'prog.awk']],
    [['sed', '-f', 'script.sed', 'data']],
    [['jq', '--from-file', 'filter.jq', 'data.json']],
    [['jq', '-f', 'filter.jq', 'data.json']],
  ])('finds no code in %j', (argv) => {
    expect(code(argv)).toEqual([]);
  });
});
