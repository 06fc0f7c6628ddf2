/**
 * What happens in `choiros demo`: the configuration of the sample project's session and gates,
 * and the scripted agents' answers. The builder's first attempt applies the discount to every
 * cart (and leaves a console.log behind), which breaks a unit test, the end-to-end test and the
 * lint; choiros rolls it back, the architect writes a fix plan from the failure digest, and the
 * fixer's attempt passes every gate.
 */
import { stringify } from 'yaml';
import { server } from './sample-project.js';

export interface StoryOptions {
  apiPort: number;
  uiPort: number;
  /** Milliseconds each scripted agent "works", so that the dashboard has something to show. */
  pace: number;
}

/** The component the demo's builder implements (the program's `components` input). */
export const COMPONENT = 'discounts';

/** Where the scripted agent's answers live: under .choiros/, which git ignores and rollback never touches. */
export const ANSWERS_FILE = '.choiros/demo-answers.yaml';

export const DEPLOY_COMMAND = 'node scripts/build.mjs';

export function demoConfig({ apiPort, uiPort }: StoryOptions): string {
  return `# The demo shop's choiros session and gates, written by \`choiros demo\`.
session: demo-shop
windows:
  - name: editor
    restart: "no"
  - name: api
    command: node src/server.js
    env: { PORT: ${apiPort} }
    ready: { http: "http://127.0.0.1:${apiPort}/health", timeout: 30s }
  - name: ui
    command: node src/ui-server.js
    env: { PORT: ${uiPort} }
    ready: { http: "http://127.0.0.1:${uiPort}/", timeout: 30s }
    depends_on: [api]
  - name: watcher
    command: choiros watch
  - name: e2e
    command: node --test test/e2e/
    autostart: false
    restart: "no"
  - name: logs
    command: choiros logs -f
    log: false
watch:
  run: node --test test/unit/
  ignore: [coverage, dist, docs]
agents:
  default:
    preset: scripted
    answers: ${ANSWERS_FILE}
verify:
  unit:
    run: node --test --test-reporter=tap test/unit/
    tap: true
    timeout: 60s
  e2e:
    run: node --test --test-reporter=tap test/e2e/
    tap: true
    timeout: 60s
  coverage:
    run: mkdir -p coverage && node --test --experimental-test-coverage --test-reporter=lcov --test-reporter-destination=coverage/lcov.info test/unit/
    lcov: coverage/lcov.info
    min: 85
    timeout: 60s
  lint:
    run: node scripts/lint.mjs
    eslint_json: true
    max_warnings: 0
`;
}

const PLAN = `# Plan

## discounts
- owns: src/cart.js, src/server.js, test/unit/discount.test.js
- interface: total(items, code); GET /api/total?items=…&code=SAVE10
- tests: SAVE10 at and above 5000 cents, below it, an unknown code, no code
`;

/** The first attempt: the discount applies to every cart, and a debugging line stayed in. */
const CART_BROKEN = `/** Prices are in cents; a cart is a list of { price, quantity }. */
export function total(items, code) {
  const sum = items.reduce((acc, item) => acc + item.price * item.quantity, 0);
  console.log('discount code', code);
  return Math.round(sum * 0.9);
}
`;

const DISCOUNT_TEST_FIRST = `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { total } from '../../src/cart.js';

test('SAVE10 takes 10% off a cart of 50.00 or more', () => {
  assert.equal(total([{ price: 6000, quantity: 1 }], 'SAVE10'), 5400);
});
`;

/** The fixed implementation: only SAVE10, only from 5000 cents. */
export const CART_FIXED = `/** Prices are in cents; a cart is a list of { price, quantity }. */
const CODES = { SAVE10: { percent: 10, minimum: 5000 } };

export function total(items, code) {
  const sum = items.reduce((acc, item) => acc + item.price * item.quantity, 0);
  const discount = code !== undefined && Object.hasOwn(CODES, code) ? CODES[code] : undefined;
  if (discount === undefined || sum < discount.minimum) return sum;
  return Math.round((sum * (100 - discount.percent)) / 100);
}
`;

const DISCOUNT_TEST = `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { total } from '../../src/cart.js';

test('SAVE10 takes 10% off a cart of 50.00 or more', () => {
  assert.equal(total([{ price: 6000, quantity: 1 }], 'SAVE10'), 5400);
  assert.equal(total([{ price: 2500, quantity: 2 }], 'SAVE10'), 4500);
});

test('SAVE10 leaves a smaller cart alone', () => {
  assert.equal(total([{ price: 4999, quantity: 1 }], 'SAVE10'), 4999);
});

test('an unknown code or no code changes nothing', () => {
  assert.equal(total([{ price: 6000, quantity: 1 }], 'FREE'), 6000);
  assert.equal(total([{ price: 6000, quantity: 1 }], 'constructor'), 6000);
  assert.equal(total([{ price: 6000, quantity: 1 }]), 6000);
});
`;

const FIX_PLAN = `1. total() discounts every cart: apply SAVE10 only when the code is given and the cart is 5000 cents or more (fixes "a cart costs the sum of its lines" and the end-to-end total).
2. Remove the console.log from src/cart.js (lint: no-console).
3. Pass ?code= from GET /api/total to total(); cover the small-cart and unknown-code cases in test/unit/discount.test.js.`;

/** The scripted agents' answers, keyed by the program's agent names and call number. */
export function demoAnswers({ apiPort, pace }: StoryOptions): string {
  return stringify({
    architect: [
      { delay_ms: pace, output: 'Wrote docs/PLAN.md: one component, discounts.', files: { 'docs/PLAN.md': PLAN } },
      { delay_ms: pace, output: FIX_PLAN },
    ],
    builder: [
      {
        delay_ms: pace * 2,
        output: 'Implemented discount codes in src/cart.js and added test/unit/discount.test.js.',
        files: { 'src/cart.js': CART_BROKEN, 'test/unit/discount.test.js': DISCOUNT_TEST_FIRST },
      },
    ],
    fixer: [
      {
        delay_ms: pace * 2,
        output: 'Applied the plan: SAVE10 only from 5000 cents, no console.log, ?code= passed through, three tests.',
        files: { 'src/cart.js': CART_FIXED, 'src/server.js': server(apiPort, true), 'test/unit/discount.test.js': DISCOUNT_TEST },
      },
    ],
  });
}
