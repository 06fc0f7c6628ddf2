/**
 * A small, strict XML reader for test and coverage reports (JUnit, cobertura). Reports use
 * elements, attributes, text, CDATA, comments and the five predefined entities; that is all this
 * reads. DTDs are skipped, never expanded, so a hostile report cannot blow up into an entity bomb.
 * Hand-written rather than a dependency because the subset is small and a total, never-throwing
 * reader is what the gate needs: a truncated report (a test runner killed mid-write) must come
 * back as a readable error with a line number.
 */

export interface XmlElement {
  name: string;
  attributes: ReadonlyMap<string, string>;
  children: XmlElement[];
  /** Text and CDATA directly inside this element, entities decoded, not trimmed. */
  text: string;
}

export type XmlResult = { kind: 'ok'; root: XmlElement } | { kind: 'error'; message: string; line: number };

/** Deeper than any real report; guards against runaway input. */
const MAX_DEPTH = 256;

class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

interface Cursor {
  readonly src: string;
  pos: number;
}

/** document ::= misc* element misc* */
export function parseXml(source: string): XmlResult {
  const c: Cursor = { src: source.charCodeAt(0) === 0xfeff ? source.slice(1) : source, pos: 0 };
  try {
    skipMisc(c);
    if (c.pos >= c.src.length) throw new XmlSyntaxError('no root element', c.pos);
    if (c.src[c.pos] !== '<') throw new XmlSyntaxError('expected the root element', c.pos);
    const root = parseElement(c);
    skipMisc(c);
    if (c.pos < c.src.length) throw new XmlSyntaxError('content after the root element', c.pos);
    return { kind: 'ok', root };
  } catch (error) {
    if (!(error instanceof XmlSyntaxError)) throw error;
    return { kind: 'error', message: error.message, line: lineAt(c.src, error.offset) };
  }
}

/** The direct children named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/** misc ::= (S | '<?' PI '?>' | '<!--' comment '-->' | '<!DOCTYPE' … '>')* */
function skipMisc(c: Cursor): void {
  for (;;) {
    while (c.pos < c.src.length && isSpace(c.src.charCodeAt(c.pos))) c.pos++;
    if (c.src.startsWith('<?', c.pos)) skipPast(c, '?>', 'processing instruction');
    else if (c.src.startsWith('<!--', c.pos)) skipPast(c, '-->', 'comment');
    else if (c.src.startsWith('<!DOCTYPE', c.pos)) skipDoctype(c);
    else return;
  }
}

/**
 * element ::= '<' Name attribute* S? ('/>' | '>' content '</' Name S? '>')
 * content ::= (text | element | CDATA | comment | PI)*
 * Iterative, with an explicit stack, so depth costs no native stack.
 */
function parseElement(c: Cursor): XmlElement {
  const stack: XmlElement[] = [];
  for (;;) {
    const top = stack.at(-1);
    if (c.pos >= c.src.length) throw new XmlSyntaxError(`unexpected end of input inside <${top?.name ?? ''}>`, c.pos);
    if (c.src[c.pos] !== '<') {
      const end = c.src.indexOf('<', c.pos);
      const raw = c.src.slice(c.pos, end === -1 ? c.src.length : end);
      if (top !== undefined) top.text += decodeEntities(raw);
      c.pos += raw.length;
    } else if (c.src.startsWith('</', c.pos)) {
      const closed = closeTag(c, top);
      stack.pop();
      if (stack.length === 0) return closed;
    } else if (c.src.startsWith('<!--', c.pos)) {
      skipPast(c, '-->', 'comment');
    } else if (c.src.startsWith('<![CDATA[', c.pos)) {
      const start = c.pos + 9;
      skipPast(c, ']]>', 'CDATA section');
      if (top !== undefined) top.text += c.src.slice(start, c.pos - 3);
    } else if (c.src.startsWith('<?', c.pos)) {
      skipPast(c, '?>', 'processing instruction');
    } else {
      const { element, selfClosing } = openTag(c);
      top?.children.push(element);
      if (selfClosing && top === undefined) return element;
      if (!selfClosing) {
        if (stack.length >= MAX_DEPTH) throw new XmlSyntaxError(`elements nested deeper than ${MAX_DEPTH}`, c.pos);
        stack.push(element);
      }
    }
  }
}

function openTag(c: Cursor): { element: XmlElement; selfClosing: boolean } {
  c.pos++;
  const name = readName(c, 'an element name');
  const attributes = new Map<string, string>();
  for (;;) {
    const hadSpace = skipSpace(c);
    if (c.src.startsWith('/>', c.pos)) {
      c.pos += 2;
      return { element: { name, attributes, children: [], text: '' }, selfClosing: true };
    }
    if (c.src[c.pos] === '>') {
      c.pos++;
      return { element: { name, attributes, children: [], text: '' }, selfClosing: false };
    }
    if (c.pos >= c.src.length) throw new XmlSyntaxError(`unexpected end of input in <${name}>`, c.pos);
    if (!hadSpace) throw new XmlSyntaxError(`expected a space, '>' or '/>' in <${name}>`, c.pos);
    const [key, value] = readAttribute(c, name);
    attributes.set(key, value);
  }
}

/** attribute ::= Name S? '=' S? ('"' [^"]* '"' | "'" [^']* "'") */
function readAttribute(c: Cursor, element: string): [string, string] {
  const key = readName(c, `an attribute name in <${element}>`);
  skipSpace(c);
  if (c.pos >= c.src.length) throw new XmlSyntaxError(`unexpected end of input in <${element}>`, c.pos);
  if (c.src[c.pos] !== '=') throw new XmlSyntaxError(`expected '=' after ${key} in <${element}>`, c.pos);
  c.pos++;
  skipSpace(c);
  if (c.pos >= c.src.length) throw new XmlSyntaxError(`unexpected end of input in <${element}>`, c.pos);
  const quote = c.src[c.pos];
  if (quote !== '"' && quote !== "'") throw new XmlSyntaxError(`expected a quoted value for ${key} in <${element}>`, c.pos);
  const end = c.src.indexOf(quote, c.pos + 1);
  if (end === -1) throw new XmlSyntaxError(`unterminated value for ${key} in <${element}>`, c.pos);
  // Attribute-value normalization: literal white space becomes a space; `&#10;` stays a newline.
  const value = decodeEntities(c.src.slice(c.pos + 1, end).replace(/[\t\n\r]/g, ' '));
  c.pos = end + 1;
  return [key, value];
}

function closeTag(c: Cursor, top: XmlElement | undefined): XmlElement {
  const at = c.pos;
  c.pos += 2;
  const name = readName(c, 'an element name');
  skipSpace(c);
  if (c.src[c.pos] !== '>') throw new XmlSyntaxError(`expected '>' after </${name}`, c.pos);
  c.pos++;
  if (top === undefined || top.name !== name) throw new XmlSyntaxError(top === undefined ? `unexpected </${name}>` : `</${name}> does not close <${top.name}>`, at);
  return top;
}

const NAME = /[A-Za-z_:\u00c0-\uffff][-\w.:\u00b7\u00c0-\uffff]*/y;

function readName(c: Cursor, what: string): string {
  NAME.lastIndex = c.pos;
  const match = NAME.exec(c.src);
  if (match === null) throw new XmlSyntaxError(c.pos >= c.src.length ? 'unexpected end of input' : `expected ${what}`, c.pos);
  c.pos += match[0].length;
  return match[0];
}

/** A DOCTYPE is skipped whole, internal subset included: nothing in it is expanded. */
function skipDoctype(c: Cursor): void {
  const bracket = c.src.indexOf('[', c.pos);
  const close = c.src.indexOf('>', c.pos);
  if (bracket !== -1 && (close === -1 || bracket < close)) {
    const end = c.src.indexOf(']', bracket);
    if (end === -1) throw new XmlSyntaxError('unterminated DOCTYPE', c.pos);
    c.pos = end;
  }
  skipPast(c, '>', 'DOCTYPE');
}

function skipPast(c: Cursor, terminator: string, what: string): void {
  const end = c.src.indexOf(terminator, c.pos);
  if (end === -1) throw new XmlSyntaxError(`unterminated ${what}`, c.pos);
  c.pos = end + terminator.length;
}

function skipSpace(c: Cursor): boolean {
  const start = c.pos;
  while (c.pos < c.src.length && isSpace(c.src.charCodeAt(c.pos))) c.pos++;
  return c.pos > start;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The predefined entities and character references; anything else is kept as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return PREDEFINED[ref] ?? whole;
  });
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
