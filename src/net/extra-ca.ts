import { readFileSync } from 'node:fs';
import type { SecureContext } from 'node:tls';

/**
 * NODE_EXTRA_CA_CERTS, deferred. Node 20 reads and parses every certificate that variable names
 * before the first line of JavaScript runs — some 50 ms on each start of each command, most of
 * which never open an HTTPS connection. So `bin/choiros.js` and `bin/prose.js` start as sh
 * scripts that move the variable to CHOIROS_EXTRA_CA_CERTS before they exec node; node's own
 * start then skips the certificates, and `takeDeferredCa` puts the variable back at once, so
 * that every process choiros starts (agents, windows, tmux) inherits it as the user set it.
 * choiros' own HTTPS requests (webhooks, readiness probes) add the certificates themselves:
 * `extraCaContext` gives the store node would have built.
 */
export const DEFERRED_CA_VARIABLE = 'CHOIROS_EXTRA_CA_CERTS';

/** Restores NODE_EXTRA_CA_CERTS from the launcher's hiding place, before anything is spawned. */
export function takeDeferredCa(env: NodeJS.ProcessEnv = process.env): void {
  const deferred = env[DEFERRED_CA_VARIABLE];
  if (deferred === undefined) return;
  delete env[DEFERRED_CA_VARIABLE];
  env.NODE_EXTRA_CA_CERTS ??= deferred;
}

let cached: { file: string; context: SecureContext | undefined } | undefined;

/**
 * What an HTTPS request trusts when NODE_EXTRA_CA_CERTS is set: node's own default store —
 * whatever it is on this machine (the bundled roots, or the system's with --use-openssl-ca) —
 * plus the file's authorities, as node itself would have built it at start-up. Built once per
 * file (a context of ~150 roots costs tens of milliseconds) and reused. Undefined when the
 * variable is unset, or names a file that cannot be read (node only warns about it): node's
 * default.
 */
export async function extraCaContext(env: NodeJS.ProcessEnv = process.env): Promise<SecureContext | undefined> {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (file === undefined || file === '') return undefined;
  if (cached?.file !== file) cached = { file, context: await buildContext(file) };
  return cached.context;
}

/** The native context's `addCACert`: node's own way to add to the default store (`ca:` would replace it). */
interface NativeContext {
  addCACert?: (pem: string) => void;
}

async function buildContext(file: string): Promise<SecureContext | undefined> {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  // Loaded here, not with the module: the launchers import this module on every start.
  const { createSecureContext, rootCertificates } = await import('node:tls');
  const context = createSecureContext();
  const native = (context as SecureContext & { context?: NativeContext }).context;
  if (typeof native?.addCACert === 'function') {
    native.addCACert(pem);
    return context;
  }
  // A node without it: the bundled roots plus the file's, which is node's default on most machines.
  return createSecureContext({ ca: [...rootCertificates, pem] });
}
