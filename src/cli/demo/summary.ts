/**
 * What `choiros demo` prints at the end: what happened (from the run's morning report), where
 * the logs, the ledger and the report are, and how to look around. Pure: facts in, lines out.
 */
import { formatDuration } from '../../config/units.js';
import type { MorningReport } from '../../loop/report.js';
import { shellQuote } from '../../tmux/quote.js';
import type { Style } from '../output.js';
import { wrap, wrapPath } from '../../util/wrap.js';

export interface DemoFacts {
  ok: boolean;
  /** Why the demo did not go as scripted (or failed), when it did not. */
  problem: string | undefined;
  durationMs: number;
  runId: string | undefined;
  runExit: number | undefined;
  report: MorningReport | undefined;
  /** The run's `deployed` output: what the deploy command printed. */
  deployed: string | undefined;
  base: string;
  root: string;
  home: string;
  socket: string;
  ledger: string;
  logs: string;
  runFolder: string | undefined;
  kept: boolean;
  /** The executable to name in the commands shown: `choiros`. */
  choiros: string;
  /** When `choiros` is not on PATH: the checkout to `npm link` and the script to run meanwhile. */
  notOnPath: { checkout: string; script: string } | undefined;
}

/** The gates a failed attempt's headline names: `verify failed: unit fail, lint fail; coverage pass` → unit, lint. */
function failingGates(headline: string): string {
  const failing = /^verify failed: ([^;]+)/.exec(headline)?.[1] ?? '';
  return failing
    .split(', ')
    .map((g) => g.replace(/ (fail|error|flaky)$/, ''))
    .filter((g) => g !== '')
    .join(', ');
}

/** The story in a few numbered sentences, from the morning report. */
export function storyLines(report: MorningReport, deployed: string | undefined): string[] {
  const lines: string[] = [];
  const failed = report.attempts.filter((a) => !a.passed);
  const passed = report.attempts.find((a) => a.passed);
  failed.forEach((attempt, i) => {
    const problems = `${attempt.failing} problem${attempt.failing === 1 ? '' : 's'}`;
    lines.push(`Attempt ${attempt.attempt} failed verification: ${failingGates(attempt.headline) || attempt.status} (${problems}).`);
    const rollback = report.rollbacks[i];
    if (rollback !== undefined) lines.push(`Rolled back to ${rollback.target}; the failed attempt is kept as ${attempt.candidate?.name ?? 'a checkpoint'} and the rollback can be undone (${rollback.undo}).`);
  });
  if (passed !== undefined) {
    const coverage = passed.coverage === null ? '' : `, coverage ${passed.coverage}%`;
    const warnings = passed.warnings === null ? '' : `, ${passed.warnings} lint warning${passed.warnings === 1 ? '' : 's'}`;
    lines.push(`Attempt ${passed.attempt} passed every gate${coverage}${warnings}.`);
  }
  if (deployed !== undefined) lines.push(`Deployed: ${deployed.trim().split('\n').at(-1) ?? ''}.`);
  return lines;
}

/** The closing summary, wrapped to `width` columns. */
export function summaryLines(facts: DemoFacts, style: Style, width: number): string[] {
  const lines: string[] = [];
  const took = formatDuration(facts.durationMs);
  const headline = facts.ok ? `✓ demo finished in ${took}` : `✗ the demo did not finish as scripted after ${took}${facts.problem === undefined ? '' : `: ${facts.problem}`}`;
  for (const line of wrap(headline, width, { hanging: '  ' })) lines.push(style.bold(facts.ok ? style.green(line) : style.red(line)));
  (facts.report === undefined ? [] : storyLines(facts.report, facts.deployed)).forEach((sentence, i) => {
    lines.push(...wrap(`${i + 1}. ${sentence}`, width, { indent: '  ', hanging: '     ' }));
  });
  lines.push('');
  const rows: Array<[string, string]> = [
    ['project', facts.root],
    ['ledger', facts.ledger],
    ['window logs', `${facts.logs}/`],
    ...(facts.runFolder === undefined ? [] : ([['run folder', `${facts.runFolder}/ (report.md is the morning report)`]] as Array<[string, string]>)),
  ];
  const key = Math.max(...rows.map(([k]) => k.length));
  for (const [name, value] of rows) {
    const [first = '', ...rest] = wrapPath(value, width - key - 4);
    lines.push(`  ${style.dim(name.padEnd(key))}  ${first}`, ...rest.map((l) => `${' '.repeat(key + 4)}${l}`));
  }
  lines.push('');
  lines.push(style.bold('Look around:'));
  if (facts.notOnPath !== undefined) {
    const { checkout, script } = facts.notOnPath;
    lines.push(...wrap(`(choiros is not on your PATH: \`npm link\` in ${checkout} puts it there; until then, run \`node ${script}\` for ${facts.choiros}.)`, width, { indent: '  ', hanging: '   ' }).map(style.dim));
  }
  lines.push(...wrap(`cd ${shellQuote(facts.root)}`, width, { indent: '  ', hanging: '    ' }));
  lines.push(`  export CHOIROS_HOME=${shellQuote(facts.home)}`, `  export CHOIROS_TMUX_SOCKET=${shellQuote(facts.socket)}`);
  const run = facts.runId === undefined ? '' : ` --run ${facts.runId}`;
  for (const command of [`${facts.choiros} runs`, `${facts.choiros} play status${run}`, `${facts.choiros} dashboard${run}`, `${facts.choiros} checkpoints --all`]) lines.push(`  ${command}`);
  if (facts.kept) lines.push(...wrap(`${facts.choiros} attach (the session is still running; ${facts.choiros} stop ends it)`, width, { indent: '  ', hanging: '    ' }));
  else lines.push(...wrap(`The session was stopped: \`${facts.choiros} demo --keep\` leaves it running to attach to.`, width, { indent: '  ', hanging: '    ' }).map(style.dim));
  lines.push(style.dim('  Everything the demo made is in one folder; to remove it:'), `  rm -rf ${shellQuote(facts.base)}`);
  return lines;
}
