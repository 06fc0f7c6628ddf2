import { chmodSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type Ran } from './cli-fixture.js';
import { TempRepo } from './git-fixture.js';

// The launchers run as users run them: executed, through their `#!/bin/sh` line, not `node bin/…`.
const proseBin = fileURLToPath(new URL('../../bin/prose.js', import.meta.url));
const choirosBin = fileURLToPath(new URL('../../bin/choiros.js', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url));

let repo: TempRepo;
beforeEach(() => (repo = TempRepo.create()));
afterEach(() => rmSync(repo.root, { recursive: true, force: true }));

function launch(bin: string, args: string[], extra: NodeJS.ProcessEnv): Promise<Ran> {
  // The launcher execs the `node` on PATH: this one, whose ABI the native modules were built for.
  const env = { PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`, HOME: repo.root, NO_COLOR: '1', CHOIROS_HOME: join(repo.root, '.home'), ...extra };
  return runCli(args, { cwd: repo.root, env, bin, executed: true });
}

describe('the launchers', () => {
  it('move NODE_EXTRA_CA_CERTS out of node\'s way before node starts, every argument intact', async () => {
    // A `node` first on PATH that prints what it was given, in place of the real one.
    const stubs = join(repo.root, '.stub-bin');
    repo.write('.stub-bin/node', '#!/bin/sh\nprintf "%s\\n" "NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS-unset}" "CHOIROS_EXTRA_CA_CERTS=${CHOIROS_EXTRA_CA_CERTS-unset}"\nfor a in "$@"; do printf "[%s]\\n" "$a"; done\n');
    chmodSync(join(stubs, 'node'), 0o755);
    const args = ['run', 'a b', '', '-n', 'line\nbreak', '$HOME', "it's"];
    for (const bin of [choirosBin, proseBin]) {
      const ran = await launch(bin, args, { PATH: `${stubs}${delimiter}${process.env.PATH ?? ''}`, NODE_EXTRA_CA_CERTS: '/etc/corp ca.pem' });
      expect(ran.code).toBe(0);
      expect(ran.stdout).toBe(['NODE_EXTRA_CA_CERTS=unset', 'CHOIROS_EXTRA_CA_CERTS=/etc/corp ca.pem', ...[bin, ...args].map((a) => `[${a}]`)].join('\n') + '\n');
      const plain = await launch(bin, ['x'], { PATH: `${stubs}${delimiter}${process.env.PATH ?? ''}` });
      expect(plain.stdout).toBe(`NODE_EXTRA_CA_CERTS=unset\nCHOIROS_EXTRA_CA_CERTS=unset\n[${bin}]\n[x]\n`);
    }
  });

  it('run the CLI, arguments intact, however they are quoted', async () => {
    const ran = await launch(choirosBin, ['checkpoint', '-m', 'a "quoted" $HOME message'], {});
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(repo.git('tag', '-n1', '-l', 'checkpoint-*')).toContain('a "quoted" $HOME message');
  });

  it('hide NODE_EXTRA_CA_CERTS from node, hand it back to every process choiros starts, and HTTPS still trusts it', async () => {
    const events: string[] = [];
    const server = createServer({ key: readFileSync(fixture('server-key.pem')), cert: readFileSync(fixture('server.pem')) }, (req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on('end', () => {
        events.push(String(req.headers['x-choiros-event']));
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      repo.write('choiros.yaml', `agents:\n  default: { preset: scripted }\nnotify:\n  - { kind: webhook, url: "https://127.0.0.1:${port}/hook" }\n`);
      repo.write('seen.sh', 'printenv NODE_EXTRA_CA_CERTS > seen.txt; printenv CHOIROS_EXTRA_CA_CERTS >> seen.txt; exit 0\n');
      repo.write('p.prose', 'exec "sh seen.sh"\n');
      const trusted = await launch(proseBin, ['run', 'p.prose'], { NODE_EXTRA_CA_CERTS: fixture('ca.pem') });
      expect(trusted.code).toBe(0);
      // The agent's environment: the variable as the user set it, and no trace of the hiding place.
      expect(readFileSync(repo.path('seen.txt'), 'utf8')).toBe(`${fixture('ca.pem')}\n`);
      // node started without the test authority: only choiros' own list of them trusts the server.
      expect(events).toContain('finished');

      events.length = 0;
      const untrusted = await launch(proseBin, ['run', 'p.prose'], {});
      expect(untrusted.code).toBe(0);
      expect(events).toEqual([]);
      expect(untrusted.stderr).toContain('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    } finally {
      server.close();
    }
  });
});
