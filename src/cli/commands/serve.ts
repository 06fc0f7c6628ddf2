import { dirname, join } from 'node:path';
import { UsageError } from '../../errors.js';
import type { CommandSpec } from '../command.js';
import { withSecretsRedacted } from './ledger-access.js';

export const DEFAULT_PORT = 7420;

export const serve: CommandSpec = withSecretsRedacted({
  name: 'serve',
  describe: 'the task API and the live web dashboard, on 127.0.0.1 until Ctrl-C',
  options: {
    port: { type: 'number', describe: `port to listen on (0: any free port)`, default: DEFAULT_PORT },
    host: { type: 'string', describe: 'address to bind; anything but loopback makes every request need the token' },
  },
  examples: [
    ['choiros serve', 'the dashboard at http://127.0.0.1:7420/ and the API beside it'],
    ['choiros serve --host 0.0.0.0 --port 8080', 'reachable from other machines: every request needs the token'],
  ],
  async run(args, ctx) {
    const port = args.port as number;
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port: expected a port from 0 to 65535, got ${String(args.port)}`);
    const host = (args.host as string | undefined) ?? '127.0.0.1';
    if (host.trim() === '') throw new UsageError('--host: expected an address (127.0.0.1, 0.0.0.0, ::)');
    const [{ ledgerFile, choirosHome }, { tokenFile, loadOrCreateToken }, { startServer }, { isLoopback }, { collectSecrets, Redactor }, { version }, { artifactChecker }, { runLockFile }, { backgroundResume }, { runLogDir }] = await Promise.all([
      import('../../config/paths.js'),
      import('../../server/token.js'),
      import('../../server/server.js'),
      import('../../server/auth.js'),
      import('../../notify/redact.js'),
      import('../runner.js'),
      import('./play-load.js'),
      import('../prose/run-lock.js'),
      import('../prose/resume-background.js'),
      import('../prose/run-record.js'),
    ]);
    const project = await ctx.project();
    const token = loadOrCreateToken(tokenFile(choirosHome(ctx.env)));
    const configValues = (project.config.notify ?? []).flatMap((n) => [n.url, ...(n.secret === undefined ? [] : [n.secret])]);
    // The token is a secret like any other: should it turn up in a task or an error, it is redacted too.
    const redactor = new Redactor([...collectSecrets({ env: ctx.env, configValues }), token.token]);
    const server = await startServer({
      ledgerPath: ledgerFile(project.root),
      runLock: runLockFile(project.root),
      host,
      port,
      token: token.token,
      redactor,
      version: version(),
      artifactExists: artifactChecker(project.root),
      ...(project.config.stop_grace === undefined ? {} : { stopGraceMs: project.config.stop_grace }),
      log: (line) => ctx.out.note(redactor.redact(line)),
      // A gate answered or a pause lifted on the page continues the run as `prose resume` typed
      // in this terminal would: in the project, with this environment.
      continueRun: backgroundResume({ node: ctx.self.node, prose: join(dirname(ctx.self.script), 'prose.js'), root: project.root, env: ctx.env, logDir: (runId) => runLogDir(project, runId) }),
    });
    const { style } = ctx.out;
    ctx.out.line(`choiros serve: ${style.bold(server.url)} — the dashboard and the API (Ctrl-C to stop)`);
    ctx.out.line(`  Sign in a browser (one-time link, 15 minutes): ${server.loginUrl()}`);
    ctx.out.line(`  API token: ${token.path}${token.created ? ' (generated now)' : ''} — send it as Authorization: Bearer …`);
    if (!isLoopback(host)) ctx.out.note(style.yellow(`Listening on ${host}, beyond loopback: every request needs the token or a signed-in page. Traffic is plain HTTP; put TLS in front of it outside a trusted network.`));
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await server.close();
    return 0;
  },
});
