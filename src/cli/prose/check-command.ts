import type { CheckOptions, Diagnostic, Position } from '../../prose/index.js';
import type { CommandContext, CommandSpec } from '../command.js';
import { readPrograms } from './read-programs.js';
import type { ProgramPlaces } from './use-programs.js';

/**
 * Where installed programs are looked for, and the gates and agents of choiros.yaml when one is
 * given with --config or found in the project (the project is loaded only then: it costs time).
 */
async function projectFacts(ctx: CommandContext, configFlag: string | undefined): Promise<{ places: ProgramPlaces; options: CheckOptions }> {
  const { choirosHome, locateProject } = await import('../../config/paths.js');
  const { root, configFile } = locateProject(ctx.cwd, configFlag);
  const places = { root, home: choirosHome(ctx.env) };
  if (configFile === undefined) return { places, options: {} };
  const { config } = await ctx.project();
  return { places, options: { gates: Object.keys(config.verify ?? {}), agents: Object.keys(config.agents ?? {}) } };
}

export const checkCommand: CommandSpec = {
  name: 'check',
  describe: 'diagnostics for .prose files: exit 0 clean, 1 errors, 2 unusable input',
  positionals: [{ name: 'files', describe: 'the programs to check', variadic: true, required: true }],
  options: {
    json: { type: 'boolean', describe: 'print the diagnostics as a JSON array' },
  },
  examples: [
    ['prose check build.prose', 'errors and warnings with the source line and a caret'],
    ['prose check prose/*.prose --json', 'machine-readable diagnostics'],
  ],
  async run(args, ctx) {
    const files = readPrograms(ctx.cwd, (args.files as string[] | undefined) ?? []);
    const [{ formatDiagnostic }, { checkPrograms }, { places, options }] = await Promise.all([import('../../prose/index.js'), import('./check-programs.js'), projectFacts(ctx, args.config as string | undefined)]);
    const checked = checkPrograms(files, ctx.cwd, places, options);
    let errors = 0;
    let warnings = 0;
    const all: unknown[] = [];
    for (const file of checked) {
      const { diagnostics, source } = file;
      for (const diagnostic of diagnostics) {
        if (diagnostic.severity === 'error') errors += 1;
        else warnings += 1;
        if (args.json === true) all.push(toJson(file.path, diagnostic, source.position(diagnostic.span.end)));
        else ctx.out.line(formatDiagnostic(diagnostic, source, ctx.out.style, ctx.out.wrapAt));
      }
    }
    if (args.json === true) ctx.out.json(all);
    else ctx.out.note(summary(checked.length, errors, warnings));
    return errors > 0 ? 1 : 0;
  },
};

function toJson(file: string, d: Diagnostic, end: Position): Record<string, unknown> {
  const { code, severity, message, line, column, hint } = d;
  return { file, line, column, endLine: end.line, endColumn: end.column, severity, code, message, ...(hint === undefined ? {} : { hint }) };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function summary(files: number, errors: number, warnings: number): string {
  if (errors === 0 && warnings === 0) return `${plural(files, 'file')} checked: no problems`;
  return `${plural(files, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
