import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseAnswers } from '../../../src/agents/scripted.js';
import { storyLines, summaryLines, type DemoFacts } from '../../../src/cli/demo/summary.js';
import { makeStyle } from '../../../src/cli/output.js';
import { parseConfigText } from '../../../src/config/load.js';
import { demoEnv, type DemoLayout } from '../../../src/demo/project.js';
import { demoAnswers, demoConfig } from '../../../src/demo/story.js';
import type { MorningReport } from '../../../src/loop/report.js';
import { facts } from '../../helpers/facts.js';

const story = { apiPort: 4100, uiPort: 4101, pace: 10 };

describe('the demo story', () => {
  it('configures six windows, a scripted default agent and four gates that choiros.yaml accepts', async () => {
    const config = await parseConfigText(demoConfig(story), 'choiros.yaml', facts());
    expect(config.windows?.map((w) => w.name)).toEqual(['editor', 'api', 'ui', 'watcher', 'e2e', 'logs']);
    expect(config.windows?.find((w) => w.name === 'api')?.ready).toMatchObject({ http: 'http://127.0.0.1:4100/health' });
    expect(Object.keys(config.verify ?? {})).toEqual(['unit', 'e2e', 'coverage', 'lint']);
    expect(config.verify?.coverage).toMatchObject({ lcov: 'coverage/lcov.info', min: 85 });
    expect(config.verify?.lint).toMatchObject({ eslint_json: true, max_warnings: 0 });
    expect(config.agents?.default).toMatchObject({ preset: 'scripted' });
  });

  it('scripts a builder that breaks the cart and a fixer that repairs it, each editing files', () => {
    const answers = parseAnswers(parse(demoAnswers(story)));
    const builder = answers.get('builder');
    const fixer = answers.get('fixer');
    expect(Array.isArray(builder) && builder[0]?.files?.['src/cart.js']).toContain('Math.round(sum * 0.9)');
    expect(Array.isArray(fixer) && fixer[0]?.files?.['src/cart.js']).toContain('sum < discount.minimum');
    expect(Array.isArray(fixer) && fixer[0]?.files?.['src/server.js']).toContain("url.searchParams.get('code')");
    expect(Array.isArray(answers.get('architect')) && (answers.get('architect') as unknown[]).length).toBe(2);
  });

  it('gives every choiros process its own home and tmux server, and none of the caller’s project settings', () => {
    const layout = { home: '/tmp/d/home', socket: 'choiros-demo-1' } as DemoLayout;
    const env = demoEnv({ PATH: '/bin', CHOIROS_CONFIG: '/mine/choiros.yaml', CHOIROS_HOME: '/home/me/.choiros', CHOIROS_SESSION: 'mine' }, layout);
    expect(env).toEqual({ PATH: '/bin', CHOIROS_HOME: '/tmp/d/home', CHOIROS_TMUX_SOCKET: 'choiros-demo-1' });
  });
});

describe('the demo summary', () => {
  it('tells the failed attempt, its rollback, the pass and the deployment from the morning report', () => {
    const attempt = { taskId: 1, flakyGates: [], fingerprint: null, digest: '', checks: { status: 'unchanged', changes: [] } };
    const report = {
      attempts: [
        { ...attempt, attempt: 1, passed: false, status: 'fail', failing: 4, coverage: 100, warnings: 1, candidate: { name: 'checkpoint-2', commit: 'c' }, headline: 'verify failed: unit fail, lint fail; coverage pass' },
        { ...attempt, attempt: 2, passed: true, status: 'pass', failing: 0, coverage: 96.5, warnings: 0, candidate: null, headline: 'verify passed: unit pass' },
      ],
      rollbacks: [{ target: 'checkpoint-1', undo: 'pre-rollback/1' }],
    } as unknown as MorningReport;
    expect(storyLines(report, 'building\nbuilt dist/\n')).toEqual([
      'Attempt 1 failed verification: unit, lint (4 problems).',
      'Rolled back to checkpoint-1; the failed attempt is kept as checkpoint-2 and the rollback can be undone (pre-rollback/1).',
      'Attempt 2 passed every gate, coverage 96.5%, 0 lint warnings.',
      'Deployed: built dist/.',
    ]);
  });

  const facts: DemoFacts = {
    ok: true,
    problem: undefined,
    durationMs: 16_000,
    runId: 'run-1',
    runExit: 0,
    report: undefined,
    deployed: undefined,
    base: '/tmp/choiros-demo-x',
    root: '/tmp/choiros-demo-x/shop',
    home: '/tmp/choiros-demo-x/home',
    socket: 'choiros-demo-1',
    ledger: '/tmp/choiros-demo-x/shop/.choiros/ledger.db',
    logs: '/tmp/choiros-demo-x/home/logs/demo-shop',
    runFolder: '/tmp/choiros-demo-x/home/logs/demo-shop/runs/run-1',
    kept: false,
    choiros: 'choiros',
    notOnPath: undefined,
  };

  it('names where everything is, one export per line to paste, and fits 60 columns', () => {
    const lines = summaryLines(facts, makeStyle(false), 60);
    expect(lines[0]).toBe('✓ demo finished in 16s');
    expect(lines).toContain('  export CHOIROS_HOME=/tmp/choiros-demo-x/home');
    expect(lines).toContain('  export CHOIROS_TMUX_SOCKET=choiros-demo-1');
    expect(lines).toContain('  choiros play status --run run-1');
    expect(lines).toContain('  rm -rf /tmp/choiros-demo-x');
    // Only a path too long for any line may overflow it.
    expect(lines.filter((l) => l.length > 60 && !/ \/tmp\/\S{40,}$/.test(l))).toEqual([]);
  });

  it('says how to attach when the session was kept, and how to get choiros on PATH when it is not', () => {
    const lines = summaryLines({ ...facts, kept: true, notOnPath: { checkout: '/src/choiros', script: '/src/choiros/bin/choiros.js' } }, makeStyle(false), 100).join('\n');
    expect(lines).toContain('choiros attach (the session is still running; choiros stop ends it)');
    expect(lines.replace(/\s+/g, ' ')).toContain('`npm link` in /src/choiros puts it there; until then, run `node /src/choiros/bin/choiros.js` for choiros.');
    const failed = summaryLines({ ...facts, ok: false, problem: 'the run failed: boom' }, makeStyle(false), 100);
    expect(failed[0]).toBe('✗ the demo did not finish as scripted after 16s: the run failed: boom');
  });
});
