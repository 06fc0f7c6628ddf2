import type { CommandSpec } from '../command.js';

const schema: CommandSpec = {
  name: 'schema',
  describe: 'print the JSON Schema of choiros.yaml (for editor completion)',
  examples: [['choiros config schema > .choiros/choiros.schema.json', 'refresh what `choiros init` wrote and choiros.yaml names']],
  async run(_args, ctx) {
    const { configJsonSchema } = await import('../../config/json-schema.js');
    ctx.out.json(configJsonSchema());
    return 0;
  },
};

const show: CommandSpec = {
  name: 'show',
  describe: 'print the resolved configuration (defaults filled in)',
  async run(_args, ctx) {
    const project = await ctx.project();
    ctx.out.json({ root: project.root, file: project.file ?? null, socket: project.socket, home: project.home, ...project.config });
    return 0;
  },
};

const check: CommandSpec = {
  name: 'check',
  describe: 'validate choiros.yaml; exit 2 with every problem and its key path',
  async run(_args, ctx) {
    const project = await ctx.project();
    const { readWindowEnv } = await import('../../tmux/context.js');
    readWindowEnv(project);
    ctx.out.line(project.file === undefined ? 'No choiros.yaml: the built-in defaults are valid.' : `${project.file}: ok (${project.config.windows.length} windows)`);
    return 0;
  },
};

export const config: CommandSpec = {
  name: 'config',
  describe: 'inspect and validate choiros.yaml',
  subcommands: [schema, show, check],
};
