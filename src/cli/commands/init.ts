import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AbortError } from '../../errors.js';
import type { CommandSpec } from '../command.js';

const STARTER_PROGRAM = fileURLToPath(new URL('../../../prose/agentic-build.prose', import.meta.url));

/** Adds `.choiros/` to .gitignore unless a line already ignores it. Returns true when it wrote. */
export function ignoreStateDir(root: string): boolean {
  const path = join(root, '.gitignore');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  if (text.split(/\r?\n/).some((line) => /^\/?\.choiros\/?$/.test(line.trim()))) return false;
  const separator = text === '' || text.endsWith('\n') ? '' : '\n';
  writeFileSync(path, `${text}${separator}# choiros state (ledger, locks, caches)\n.choiros/\n`);
  return true;
}

/** Whether `root` is in a git work tree (a .git folder or file here or above): checkpoints and rollbacks need one. */
function inGitWorkTree(root: string): boolean {
  for (let dir = root; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return true;
    if (dirname(dir) === dir) return false;
  }
}

export const init: CommandSpec = {
  name: 'init',
  describe: 'write a starter choiros.yaml and prose/agentic-build.prose',
  options: {
    force: { type: 'boolean', describe: 'overwrite an existing choiros.yaml' },
    json: { type: 'boolean', describe: 'print the files written as JSON' },
  },
  async run(args, ctx) {
    const [{ readFacts }, { locateProject, projectName, CONFIG_FILE }, { starterConfig }, { configJsonSchema }] = await Promise.all([
      import('../../config/load.js'),
      import('../../config/paths.js'),
      import('../../config/starter.js'),
      import('../../config/json-schema.js'),
    ]);
    const configFlag = args.config as string | undefined;
    const located = locateProject(ctx.cwd, configFlag);
    const root = configFlag === undefined ? (located.configFile === undefined ? located.root : dirname(located.configFile)) : located.root;
    const file = located.configFile ?? join(root, CONFIG_FILE);
    if (existsSync(file) && args.force !== true) {
      throw new AbortError(`${relative(ctx.cwd, file) || file} already exists.`, { hint: 'Edit it, or run `choiros init --force` to replace it.' });
    }
    const written: string[] = [];
    writeFileSync(file, starterConfig(readFacts(root, ctx.env), projectName(root)));
    written.push(file);
    mkdirSync(join(root, '.choiros'), { recursive: true });
    writeFileSync(join(root, '.choiros', 'choiros.schema.json'), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
    const program = join(root, 'prose', 'agentic-build.prose');
    if (!existsSync(program)) {
      mkdirSync(dirname(program), { recursive: true });
      copyFileSync(STARTER_PROGRAM, program);
      written.push(program);
    }
    if (ignoreStateDir(root)) written.push(join(root, '.gitignore'));
    if (args.json === true) ctx.out.json({ root, written });
    else {
      for (const path of written) ctx.out.line(`wrote ${relative(ctx.cwd, path) || path}`);
      const git = inGitWorkTree(root) ? '' : 'git init (checkpoints are git objects) · ';
      ctx.out.line(ctx.out.style.dim(`Next: ${git}choiros config check · choiros start --attach`));
    }
    return 0;
  },
};
