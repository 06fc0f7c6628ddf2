import type { Property, PropertyBlock } from './ast.js';
import { type Cursor, describe } from './cursor.js';
import { atExpressionEnd, parseExpression } from './parse-expressions.js';

/** Properties? : an indented block of `name: value` lines, when one follows. */
export function parseOptionalProperties(p: Cursor): Property[] {
  return p.at('newline') && p.peek().kind === 'indent' ? parsePropertyBlock(p) : [];
}

/** PropertyBlock : NEWLINE INDENT Property+ DEDENT */
export function parsePropertyBlock(p: Cursor): Property[] {
  p.next();
  p.next();
  const properties: Property[] = [];
  while (!p.at('dedent') && !p.at('eof')) {
    if (p.at('newline')) {
      p.next();
      continue;
    }
    const property = p.attempt(parseProperty);
    if (property !== undefined) properties.push(property);
  }
  if (p.at('dedent')) p.next();
  return properties;
}

export function startsProperty(p: Cursor, ahead: number): boolean {
  const name = p.peek(ahead);
  const colon = p.peek(ahead + 1);
  return name.kind === 'name' && colon.kind === 'punct' && colon.value === ':';
}

/**
 * Property : NAME ':' Expression NEWLINE
 *          | NAME ':' NEWLINE INDENT (Property+ | Expression NEWLINE) DEDENT
 */
export function parseProperty(p: Cursor): Property {
  if (!startsProperty(p, 0)) p.fail('E004', `expected a property (\`name: value\`), found ${describe(p.token)}`);
  const name = p.expectName('a property name');
  p.next();
  if (p.at('newline') && p.peek().kind === 'indent') {
    if (startsProperty(p, 2)) {
      const start = p.peek(2).start;
      const properties = parsePropertyBlock(p);
      const block: PropertyBlock = { kind: 'PropertyBlock', properties, span: { start, end: properties.at(-1)?.span.end ?? start } };
      return { kind: 'Property', name, value: block, span: p.spanFrom(name.span.start) };
    }
    p.next();
    p.next();
    const value = parseExpression(p);
    p.endStatement();
    if (!p.at('dedent')) p.fail('E005', `expected the end of the indented value of \`${name.name}\`, found ${describe(p.token)}`);
    p.next();
    return { kind: 'Property', name, value, span: p.spanFrom(name.span.start) };
  }
  if (atExpressionEnd(p.token)) p.fail('E004', `expected a value after \`${name.name}:\`, found ${describe(p.token)}`);
  const value = parseExpression(p);
  p.endStatement();
  return { kind: 'Property', name, value, span: p.spanFrom(name.span.start) };
}
