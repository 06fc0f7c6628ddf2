import { describe, expect, it } from 'vitest';
import { GateSchema } from '../../../src/config/schema.js';
import type { ChangedBlob } from '../../../src/git/diff.js';
import { checkChanges } from '../../../src/loop/checks.js';

const gate = (input: Parameters<typeof GateSchema.parse>[0]) => GateSchema.parse(input);
const unit = { unit: gate({ run: 'node checks/tap.mjs', tap: true }) };
const blob = (kind: ChangedBlob['kind'], path: string, oid: string | null = 'b10b'): ChangedBlob => ({ kind, path, oid: kind === 'delete' ? null : oid });

describe('changes to the checks', () => {
  it('flags an edited or deleted test, a check configuration and a gate script, each keyed by its new content', () => {
    const changes = checkChanges({ before: unit, after: unit, changed: [blob('modify', 'test/math.test.mjs', 'aaa'), blob('delete', 'test/old.test.mjs'), blob('modify', 'vitest.config.ts', 'bbb'), blob('modify', 'checks/tap.mjs', 'ccc'), blob('modify', 'src/math.js')] });
    expect(changes).toEqual([
      { key: 'file:checks/tap.mjs@ccc', text: "a file gate 'unit' runs changed: checks/tap.mjs" },
      { key: 'file:test/math.test.mjs@aaa', text: 'test file changed: test/math.test.mjs' },
      { key: 'file:test/old.test.mjs@deleted', text: 'test file changed: test/old.test.mjs (deleted)' },
      { key: 'file:vitest.config.ts@bbb', text: 'test, coverage or lint configuration changed: vitest.config.ts' },
    ]);
  });

  it('lets an agent add tests, but not files that change how the existing ones run', () => {
    const changed = [blob('create', 'test/sub.test.mjs'), blob('create', 'src/__tests__/x.test.ts'), blob('create', 'tests/conftest.py'), blob('create', 'src/__mocks__/db.js'), blob('create', 'test/__snapshots__/a.snap')];
    expect(checkChanges({ before: unit, after: unit, changed }).map((c) => c.text)).toEqual(['test file changed: src/__mocks__/db.js', 'test file changed: test/__snapshots__/a.snap', 'test file changed: tests/conftest.py']);
  });

  it('flags a gate whose definition changed, keyed by the new definition, and a configuration that no longer parses', () => {
    const lowered = { unit: gate({ run: 'node checks/tap.mjs', tap: true, test_threshold: 0.5 }) };
    const [changed] = checkChanges({ before: unit, after: lowered, changed: [blob('modify', 'choiros.yaml')] });
    expect(changed?.text).toBe("gate 'unit' changed: test_threshold");
    expect(changed?.key).toContain('"test_threshold":0.5');
    expect(checkChanges({ before: unit, after: { unit: gate({ run: 'node checks/tap.mjs', tap: true, test_threshold: 0.4 }) }, changed: [] })[0]?.key).not.toBe(changed?.key);
    expect(checkChanges({ before: unit, after: 'unreadable', configChange: blob('modify', 'app/choiros.yaml', 'f00'), changed: [blob('modify', 'app/choiros.yaml', 'f00')] })).toEqual([
      { key: 'config:app/choiros.yaml@f00', text: 'app/choiros.yaml no longer reads as a valid configuration: the gates it defines cannot be compared' },
    ]);
  });

  it('has nothing to say about changes to the code under test', () => {
    expect(checkChanges({ before: unit, after: unit, changed: [blob('modify', 'src/math.js'), blob('create', 'src/sub.js'), blob('modify', 'package.json')] })).toEqual([]);
  });
});
