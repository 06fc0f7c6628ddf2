import type { Interpolation, Span } from '../prose/index.js';
import type { Env } from './env.js';
import { ProseError } from './errors.js';
import { site, type Frame } from './frame.js';
import { memberOf, toText, type Value } from './values.js';

/** The value `{a.b.c}` names, or undefined when `a` is unbound or a step of the path is missing. */
export function resolvePath(env: Env, path: readonly string[]): Value | undefined {
  const [root, ...rest] = path;
  if (root === undefined) return undefined;
  let value = env.get(root);
  for (const name of rest) {
    if (value === undefined) return undefined;
    value = memberOf(value, name);
  }
  return value;
}

/**
 * Fills `{name}` and `{a.b}` in a text with the values bound where it runs. Braces that name
 * nothing bound — `{id}` in a JSON sample, `{braces}` in an embedded program — stay as written.
 */
export function interpolate(text: string, interpolations: readonly Interpolation[], env: Env): string {
  if (interpolations.length === 0) return text;
  let out = '';
  let at = 0;
  for (const { path, start, end } of interpolations) {
    const value = resolvePath(env, path);
    if (value === undefined) continue;
    out += text.slice(at, start) + toText(value);
    at = end;
  }
  return at === 0 ? text : out + text.slice(at);
}

/**
 * Braces naming nothing stay literal — except an input the program declares and the run did not
 * give: a prompt must not go out with `{target}` in it.
 */
export function requireInputs(interpolations: readonly Interpolation[], frame: Frame, span: Span): void {
  for (const { path } of interpolations) {
    const root = path[0];
    if (root !== undefined && frame.unit.inputs.includes(root) && !frame.env.has(root)) {
      throw new ProseError('input', `input \`${root}\` was not given: pass ${root}=VALUE to prose run`, site(frame, span));
    }
  }
}

/** A string or discretion text of the program, filled in where it runs. */
export function fill(text: string, interpolations: readonly Interpolation[], frame: Frame, span: Span): string {
  if (interpolations.length === 0) return text;
  requireInputs(interpolations, frame, span);
  return interpolate(text, interpolations, frame.env);
}
