import { describe, expect, it } from 'vitest';
import { composeDigest } from '../../../src/loop/digest.js';

const gates = 'verify failed: unit fail\nunit: fail — 1 of 3 tests failed (exited 1, 412ms)\n  - adds (test/math.test.js:10): expected 1 to be 2';

describe('the failure digest', () => {
  it('adds the diff against the last good checkpoint, where the candidate is kept, and the earlier failed attempts', () => {
    const digest = composeDigest({
      gates,
      baseline: 'checkpoint-20260130-120000',
      diffStat: ' src/math.js | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n',
      candidate: 'checkpoint-20260130-121500',
      earlier: [
        { attempt: 1, passed: false, summary: 'verify failed: lint fail\nlint: fail — 2 errors\n  - src/a.js:3 error eqeqeq\n  - more', candidate: 'checkpoint-20260130-120500' },
        { attempt: 2, passed: true, summary: 'verify passed: unit pass', candidate: null },
      ],
    });
    expect(digest).toBe(
      [
        gates,
        'changes since checkpoint-20260130-120000:',
        '  src/math.js | 2 +-',
        '  1 file changed, 1 insertion(+), 1 deletion(-)',
        'candidate kept as checkpoint-20260130-121500 (choiros rollback checkpoint-20260130-121500 restores it)',
        'earlier attempts:',
        '  #1 (checkpoint-20260130-120500): verify failed: lint fail',
        '    lint: fail — 2 errors',
        '    - src/a.js:3 error eqeqeq',
      ].join('\n'),
    );
  });

  it('keeps a long diff stat to its first files and its summary line, and the last three earlier failures', () => {
    const stat = [...Array.from({ length: 30 }, (_, i) => ` src/f${i}.js | 1 +`), ' 30 files changed, 30 insertions(+)'].join('\n');
    const earlier = Array.from({ length: 5 }, (_, i) => ({ attempt: i + 1, passed: false, summary: `failure ${i + 1}`, candidate: null }));
    const digest = composeDigest({ gates, baseline: 'the start of the run', diffStat: stat, candidate: null, earlier });
    expect(digest).toContain('  … 20 more files\n  30 files changed, 30 insertions(+)');
    expect(digest.match(/^ {2}#\d/gm)).toEqual(['  #3', '  #4', '  #5']);
    expect(composeDigest({ gates, baseline: 'b', diffStat: '', candidate: null, earlier: [] })).toBe(`${gates}\nno changes since b`);
  });
});
