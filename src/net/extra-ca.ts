import { readFileSync } from 'node:fs';

/**
 * NODE_EXTRA_CA_CERTS, deferred. Node 20 reads and parses every certificate that variable names
 * before the first line of JavaScript runs — some 50 ms on each start of each command, most of
 * which never open an HTTPS connection. So `bin/choiros.js` and `bin/prose.js` start as sh
 * scripts that move the variable to CHOIROS_EXTRA_CA_CERTS before they exec node; node's own
 * start then skips the certificates, and `takeDeferredCa` puts the variable back at once, so
 * that every process choiros starts (agents, windows, tmux) inherits it as the user set it.
 * choiros' own HTTPS requests (webhooks, readiness probes) add the certificates themselves:
 * `extraCa` gives the list node would have built.
 */
export const DEFERRED_CA_VARIABLE = 'CHOIROS_EXTRA_CA_CERTS';

/** Restores NODE_EXTRA_CA_CERTS from the launcher's hiding place, before anything is spawned. */
export function takeDeferredCa(env: NodeJS.ProcessEnv = process.env): void {
  const deferred = env[DEFERRED_CA_VARIABLE];
  if (deferred === undefined) return;
  delete env[DEFERRED_CA_VARIABLE];
  env.NODE_EXTRA_CA_CERTS ??= deferred;
}

let cached: { file: string; ca: string[] | undefined } | undefined;

/**
 * The certificate authorities an HTTPS request trusts when NODE_EXTRA_CA_CERTS is set: node's
 * bundled roots plus the file's, as node itself builds them (a file that cannot be read adds
 * nothing, as node only warns about it). Undefined when the variable is not set: node's default.
 */
export async function extraCa(env: NodeJS.ProcessEnv = process.env): Promise<string[] | undefined> {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (file === undefined || file === '') return undefined;
  if (cached?.file !== file) {
    let pem: string | undefined;
    try {
      pem = readFileSync(file, 'utf8');
    } catch {
      pem = undefined;
    }
    // Loaded here, not with the module: the launchers import this module on every start.
    const { rootCertificates } = await import('node:tls');
    cached = { file, ca: pem === undefined ? undefined : [...rootCertificates, pem] };
  }
  return cached.ca;
}
