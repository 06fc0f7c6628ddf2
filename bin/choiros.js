#!/bin/sh
":" //; [ -z "${NODE_EXTRA_CA_CERTS-}" ] || { CHOIROS_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS; export CHOIROS_EXTRA_CA_CERTS; unset NODE_EXTRA_CA_CERTS; }; exec node "$0" "$@"
// Line 2 is sh, and a string and a comment to node: it hides NODE_EXTRA_CA_CERTS from node's
// start-up, which would parse every certificate in it first (dist/net/extra-ca.js).
import { takeDeferredCa } from '../dist/net/extra-ca.js';

takeDeferredCa();
const { main } = await import('../dist/cli/choiros.js');
await main(process.argv.slice(2));
