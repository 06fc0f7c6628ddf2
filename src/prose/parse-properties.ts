import type { Property, PropertyBlock } from './ast.js';
import type { Cursor } from './cursor.js';
import { parseExpression } from './parse-expressions.js';

/** Properties? : an indented block of `name: value` lines, when one follows. */
export function parseOptionalProperties(p: Cursor): Property[] {
  return p.at('newline') && p.peekKind() === 'indent' ? parsePropertyBlock(p) : [];
}

/** PropertyBlock : NEWLINE INDENT Property+ DEDENT */
export function parsePropertyBlock(p: Cursor): Property[] {
  p.next();
  p.next();
  const properties = p.startList<Property>();
  while (!p.at('dedent') && !p.at('eof')) {
    if (p.at('newline')) {
      p.next();
      continue;
    }
    const property = p.attempt(parseProperty);
    if (property !== undefined) p.addToList(properties, property);
  }
  if (p.at('dedent')) p.next();
  return p.endList(properties);
}

export function startsProperty(p: Cursor, ahead: number): boolean {
  // Both tokens are read even when the first is no name: how far the lexer has read decides
  // where its diagnostics fall among the parser's (which of them a capped list keeps).
  const named = p.peekKind(ahead) === 'name';
  return p.peekIs(ahead + 1, 'punct', ':') && named;
}

/**
 * Property : NAME ':' Expression NEWLINE
 *          | NAME ':' NEWLINE INDENT (Property+ | Expression NEWLINE) DEDENT
 */
export function parseProperty(p: Cursor): Property {
  if (!startsProperty(p, 0)) p.fail('E004', `expected a property (\`name: value\`), found ${p.describe()}`);
  const name = p.expectName('a property name');
  p.next();
  if (p.at('newline') && p.peekKind() === 'indent') {
    if (startsProperty(p, 2)) {
      const start = p.peekStart(2);
      const properties = parsePropertyBlock(p);
      const block: PropertyBlock = { kind: 'PropertyBlock', properties, span: { start, end: properties.at(-1)?.span.end ?? start } };
      return { kind: 'Property', name, value: block, span: p.spanFrom(name.span.start) };
    }
    p.next();
    p.next();
    const value = parseExpression(p);
    p.endStatement();
    if (!p.at('dedent')) p.fail('E005', `expected the end of the indented value of \`${name.name}\`, found ${p.describe()}`);
    p.next();
    return { kind: 'Property', name, value, span: p.spanFrom(name.span.start) };
  }
  if (p.atLineEnd()) p.fail('E004', `expected a value after \`${name.name}:\`, found ${p.describe()}`);
  const value = parseExpression(p);
  p.endStatement();
  return { kind: 'Property', name, value, span: p.spanFrom(name.span.start) };
}
