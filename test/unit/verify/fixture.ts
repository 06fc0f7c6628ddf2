import { readFileSync } from 'node:fs';

/** A report sample from test/fixtures/verify (see its README for how each was made). */
export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/verify/${name}`, import.meta.url), 'utf8');
}
