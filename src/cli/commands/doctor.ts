import type { Check, CheckStatus } from '../../doctor/checks.js';
import type { CommandSpec } from '../command.js';
import type { Output } from '../output.js';
import { wrap } from '../../util/wrap.js';

const TITLES: Record<string, string> = {
  git: 'git',
  repository: 'repository',
  'git-operation': 'git state',
  checkpoint: 'checkpoint',
  disk: 'disk space',
  logs: 'logs',
  tmux: 'tmux',
  agents: 'agents',
  gates: 'gates',
  'max-iterations': 'max_iterations',
  rollback: 'rollback',
  webhook: 'webhook',
  lock: 'run lock',
};

function mark(status: CheckStatus, style: Output['style']): string {
  return status === 'ok' ? style.green('✓') : status === 'warn' ? style.yellow('!') : style.red('✗');
}

function print(out: Output, checks: readonly Check[], code: number): void {
  const { style } = out;
  const width = Math.max(...checks.map((c) => (TITLES[c.id] ?? c.id).length));
  // Details and hints wrap under the details column; on a very narrow terminal, under the title.
  const pad = ' '.repeat(out.wrapAt - (width + 4) >= 30 ? width + 4 : 4);
  for (const check of checks) {
    const [first = '', ...rest] = wrap(`  ${(TITLES[check.id] ?? check.id).padEnd(width)}  ${check.detail}`, out.wrapAt, { hanging: pad });
    out.line(`${mark(check.status, style)}${first.slice(1)}`);
    for (const line of rest) out.line(line);
    if (check.hint !== undefined && check.status !== 'ok') for (const line of wrap(check.hint, out.wrapAt, { indent: ' '.repeat(width + 4), hanging: pad })) out.line(style.dim(line));
  }
  const failures = checks.filter((c) => c.status === 'fail').length;
  const warnings = checks.filter((c) => c.status === 'warn').length;
  const counts = `${failures} problem${failures === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  out.line('');
  const verdict = code === 0 ? `${counts}: ready for an unattended run${warnings > 0 ? ' (read the warnings)' : ''}.` : `${counts}: not ready for an unattended run.`;
  for (const line of wrap(verdict, out.wrapAt)) out.line(code === 0 ? style.green(line) : style.red(line));
}

export const doctor: CommandSpec = {
  name: 'doctor',
  describe: 'the safety checklist before an unattended run: git, checkpoints, disk, logs, tmux, agents, caps, rollback, webhooks, the run lock',
  options: {
    json: { type: 'boolean', describe: 'print {ok, checks: [{id, status, detail, hint}]}' },
    strict: { type: 'boolean', describe: 'exit 1 on warnings too, not only on problems' },
  },
  examples: [
    ['choiros doctor', 'exit 0 when nothing blocks an overnight run, 1 when something does'],
    ['choiros doctor --strict && prose run prose/agentic-build.prose', 'run only when every check is green (cron: add mode=autonomous)'],
  ],
  async run(args, ctx) {
    const project = await ctx.project();
    const [{ gatherFacts }, { doctorChecks, doctorExitCode }, { runLockFile }] = await Promise.all([import('../../doctor/facts.js'), import('../../doctor/checks.js'), import('../prose/run-lock.js')]);
    const checks = doctorChecks(await gatherFacts(project, ctx.env, runLockFile(project.root)));
    const code = doctorExitCode(checks, args.strict === true);
    if (args.json === true) ctx.out.json({ ok: code === 0, checks });
    else print(ctx.out, checks, code);
    return code;
  },
};
