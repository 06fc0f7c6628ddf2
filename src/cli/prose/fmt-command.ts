import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import type { CommandSpec } from '../command.js';
import { readPrograms } from './read-programs.js';

export const fmtCommand: CommandSpec = {
  name: 'fmt',
  describe: 'print programs in canonical form (--write to rewrite them, --check to verify)',
  positionals: [{ name: 'files', describe: 'the programs to format', variadic: true, required: true }],
  options: {
    check: { type: 'boolean', describe: 'write nothing; exit 1 and list the files that are not formatted' },
    write: { type: 'boolean', alias: 'w', describe: 'rewrite the files in place' },
  },
  examples: [
    ['prose fmt build.prose', 'print the canonical form'],
    ['prose fmt --write prose/*.prose', 'format in place'],
    ['prose fmt --check prose/*.prose', 'for CI: exit 1 when a file is not formatted'],
  ],
  async run(args, ctx) {
    // Which would win is a guess either way: a CI check that rewrites, or a rewrite that exits 1.
    if (args.check === true && args.write === true) throw new UsageError('--check and --write cannot be combined: --check writes nothing.', { hint: 'Run `prose fmt --write FILE…` to format, `prose fmt --check FILE…` to verify.' });
    const files = readPrograms(ctx.cwd, (args.files as string[] | undefined) ?? []);
    const { formatProgram, formatDiagnostic, Source } = await import('../../prose/index.js');
    let failed = false;
    for (const file of files) {
      const { text, diagnostics } = formatProgram(file.text, file.path);
      if (text === undefined) {
        const source = new Source(file.text, file.path);
        for (const d of diagnostics) if (d.severity === 'error') ctx.out.note(formatDiagnostic(d, source, ctx.out.style, ctx.out.wrapAt));
        ctx.out.note(`${file.path}: not formatted: fix the errors above first`);
        failed = true;
      } else if (args.check === true) {
        if (text !== file.text) {
          ctx.out.line(`${file.path}: not formatted`);
          failed = true;
        }
      } else if (args.write === true) {
        if (text !== file.text) writeFileSync(resolve(ctx.cwd, file.path), text);
      } else {
        ctx.out.stdout.write(text);
      }
    }
    return failed ? 1 : 0;
  },
};
