import { describe, expect, it } from 'vitest';
import { parseRunArgs } from '../../../src/cli/prose/run-args.js';
import { listWords, readListInputs } from '../../../src/cli/prose/run-list-args.js';
import { unit } from '../runtime/harness.js';

const program = unit(
  [
    'input components: "Which components?"',
    '  default: ["api", "ui"]',
    'input owners: "Who reviews"',
    '  type: "list of names"',
    'input title: "A title"',
    '  default: "x"',
    'for c in components:',
    '  session "{c} {owners} {title}"',
    '',
  ].join('\n'),
);

/** The run arguments as the shell hands them over, read for `program`. */
function read(...args: string[]) {
  const runArgs = parseRunArgs(args);
  readListInputs(runArgs, program);
  return runArgs;
}

describe('list inputs on a shell command line', () => {
  it('reads words in brackets as a list of text: the form bash leaves of an unquoted JSON list', () => {
    expect(listWords('[event-store,chat-actor]')).toEqual(['event-store', 'chat-actor']);
    expect(listWords(' [ a , b c ] ')).toEqual(['a', 'b c']);
    expect(listWords('[]')).toEqual([]);
    for (const text of ['a,b', '[a,,b]', '[a,]', '[a,"b"]', '[[a]]', '[{a}]', 'a]']) expect(listWords(text), text).toBeUndefined();
  });

  it('gives an input whose default is a list, or whose type says list, the words of `[a,b]`, and records them as given', () => {
    const runArgs = read('components=[event-store,chat-actor]', 'owners=[ada]', 'title=[draft]');
    expect(runArgs.inputs.get('components')).toEqual(['event-store', 'chat-actor']);
    expect(runArgs.given.get('components')).toEqual(['event-store', 'chat-actor']);
    expect(runArgs.inputs.get('owners')).toEqual(['ada']);
    expect(runArgs.inputs.get('title')).toBe('[draft]');
  });

  it('keeps a JSON list as it is, numbers included', () => {
    expect(read('components=["a","b"]').inputs.get('components')).toEqual(['a', 'b']);
    expect(read('components=[1,2]').inputs.get('components')).toEqual([1, 2]);
  });

  it('refuses anything else for a list input, naming it and showing the quoting that works', () => {
    expect(() => read('components=event-store,chat-actor')).toThrow("The input components takes a list, not 'event-store,chat-actor'. Nothing was started.");
    expect(() => read('components=3')).toThrow('The input components takes a list, not 3.');
    try {
      read('owners=ada');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ exitCode: 2, hint: expect.stringContaining(`owners='["api","ui"]'`) as unknown });
    }
  });

  it('names the input a shell split at a space, and shows it quoted whole', () => {
    try {
      parseRunArgs(['components=[event-store,', 'chat-actor]', 'mode=autonomous']);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({
        exitCode: 2,
        message: "The value of components was split by the shell at a space: 'chat-actor]' is the rest of components=[event-store,. Nothing was started.",
        hint: `Quote the whole value so it stays one argument: components='["event-store", "chat-actor"]'`,
      });
    }
    expect(() => parseRunArgs(['title="a', 'b"'])).toThrow("'b\"' is the rest of title=\"a");
    expect(() => parseRunArgs(['title=a', 'b'])).toThrow("Cannot read the run argument 'b': expected key=value.");
  });
});
