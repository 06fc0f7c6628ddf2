/**
 * The sample project `choiros demo` builds on: a tiny shop with an HTTP API (GET /health,
 * GET /api/total), a static UI server, unit tests, an end-to-end test, coverage and a lint
 * script — plain Node, no dependencies, so it needs no network and no install step.
 */

export interface SampleOptions {
  apiPort: number;
  uiPort: number;
}

const PACKAGE_JSON = `${JSON.stringify(
  {
    name: 'demo-shop',
    version: '1.0.0',
    private: true,
    type: 'module',
    scripts: {
      dev: 'node src/server.js',
      ui: 'node src/ui-server.js',
      test: 'node --test test/unit/',
      e2e: 'node --test test/e2e/',
      coverage: 'mkdir -p coverage && node --test --experimental-test-coverage --test-reporter=lcov --test-reporter-destination=coverage/lcov.info test/unit/',
      lint: 'node scripts/lint.mjs',
      build: 'node scripts/build.mjs',
    },
  },
  null,
  2,
)}\n`;

/** The cart before the agents touch it: totals, no discounts yet. */
export const CART_BASELINE = `/** Prices are in cents; a cart is a list of { price, quantity }. */
export function total(items) {
  return items.reduce((sum, item) => sum + item.price * item.quantity, 0);
}
`;

const CART_TEST = `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { total } from '../../src/cart.js';

test('an empty cart costs nothing', () => {
  assert.equal(total([]), 0);
});

test('a cart costs the sum of its lines', () => {
  assert.equal(total([{ price: 250, quantity: 2 }, { price: 100, quantity: 1 }]), 600);
});
`;

/**
 * The API server. `withCodes`: the version the demo's agents arrive at, which passes a discount
 * code from the query string to the cart.
 */
export function server(port: number, withCodes = false): string {
  return `import { createServer } from 'node:http';
import { total } from './cart.js';

const port = Number(process.env.PORT ?? ${port});

export const app = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/health') return send(res, 200, { ok: true });
  if (url.pathname === '/api/total') {
    const items = JSON.parse(url.searchParams.get('items') ?? '[]');
    return send(res, 200, { total: total(items${withCodes ? ", url.searchParams.get('code') ?? undefined" : ''}) });
  }
  return send(res, 404, { error: 'not found' });
});

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  app.listen(port, '127.0.0.1', () => process.stdout.write(\`api listening on http://127.0.0.1:\${port}\\n\`));
}
`;
}

function uiServer(port: number): string {
  return `import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? ${port});
createServer(async (req, res) => {
  try {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(await readFile(new URL('../public/index.html', import.meta.url)));
  } catch {
    res.writeHead(500);
    res.end();
  }
}).listen(port, '127.0.0.1', () => process.stdout.write(\`ui on http://127.0.0.1:\${port}\\n\`));
`;
}

/** What the demo's agents are asked to build (the program's `spec` input). */
export const SPECIFICATION = `# demo shop: discount codes

The cart (\`src/cart.js\`) totals lines of \`{ price, quantity }\`, in cents.

## discounts

- \`total(items, code)\`: with the code \`SAVE10\`, a cart of 5000 cents or more costs 10% less,
  rounded to the cent. Without a code, with an unknown code or below 5000 cents, the total is
  unchanged: every existing test keeps passing.
- \`GET /api/total?items=…&code=SAVE10\` applies the code.
- Unit tests cover each case; coverage stays at 85% or more and the lint stays clean.
`;

const INDEX_HTML = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>demo shop</title>
<h1>demo shop</h1>
<p>The cart total comes from <code>/api/total</code>.</p>
</html>
`;

const E2E_TEST = `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { app } from '../../src/server.js';

test('the API answers /health and totals a cart', async () => {
  await new Promise((resolve) => app.listen(0, '127.0.0.1', resolve));
  const { port } = app.address();
  try {
    assert.deepEqual(await (await fetch(\`http://127.0.0.1:\${port}/health\`)).json(), { ok: true });
    const items = encodeURIComponent(JSON.stringify([{ price: 300, quantity: 2 }]));
    assert.deepEqual(await (await fetch(\`http://127.0.0.1:\${port}/api/total?items=\${items}\`)).json(), { total: 600 });
  } finally {
    app.close();
  }
});
`;

/** A lint with eslint's JSON output: warns about console.log, debugger and \`var\` in src/. */
const LINT = `import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const rules = [
  [/console\\.log\\(/, 'no-console', 'Unexpected console statement.'],
  [/\\bdebugger\\b/, 'no-debugger', "Unexpected 'debugger' statement."],
  [/^\\s*var\\s/, 'no-var', 'Unexpected var, use let or const instead.'],
];
const results = readdirSync('src')
  .filter((f) => f.endsWith('.js'))
  .map((f) => {
    const filePath = join(process.cwd(), 'src', f);
    const messages = [];
    readFileSync(filePath, 'utf8').split('\\n').forEach((text, i) => {
      for (const [pattern, ruleId, message] of rules) if (pattern.test(text)) messages.push({ ruleId, severity: 1, message, line: i + 1, column: 1 });
    });
    return { filePath, messages, errorCount: 0, warningCount: messages.length };
  });
process.stdout.write(JSON.stringify(results));
`;

const BUILD = `import { cpSync, mkdirSync, rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
cpSync('src', 'dist/src', { recursive: true });
cpSync('public', 'dist/public', { recursive: true });
process.stdout.write('built dist/ (src, public)\\n');
`;

/** Every file of the sample project at its baseline, by relative path. */
export function sampleProject(options: SampleOptions): Record<string, string> {
  return {
    'package.json': PACKAGE_JSON,
    'README.md': '# demo shop\n\nA sample project for `choiros demo`.\n',
    'docs/ARCHITECTURE_SPECIFICATION.md': SPECIFICATION,
    '.gitignore': 'node_modules/\ndist/\ncoverage/\n.choiros/\n',
    'src/cart.js': CART_BASELINE,
    'src/server.js': server(options.apiPort),
    'src/ui-server.js': uiServer(options.uiPort),
    'public/index.html': INDEX_HTML,
    'test/unit/cart.test.js': CART_TEST,
    'test/e2e/api.test.js': E2E_TEST,
    'scripts/lint.mjs': LINT,
    'scripts/build.mjs': BUILD,
  };
}
