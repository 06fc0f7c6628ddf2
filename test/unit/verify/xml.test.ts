import { describe, expect, it } from 'vitest';
import { decodeEntities, parseXml, type XmlElement } from '../../../src/verify/parsers/xml.js';

function root(xml: string): XmlElement {
  const result = parseXml(xml);
  if (result.kind !== 'ok') throw new Error(`expected XML to parse: ${result.message}`);
  return result.root;
}

describe('parseXml', () => {
  it('reads elements, attributes in either quote, text, CDATA and self-closing tags', () => {
    const doc = root(`<?xml version="1.0"?>\n<!-- c --><a x="1" y='two &amp; three'><b/>text &lt;here&gt;<![CDATA[<raw> & ]]></a>`);
    expect(doc.name).toBe('a');
    expect(Object.fromEntries(doc.attributes)).toEqual({ x: '1', y: 'two & three' });
    expect(doc.children.map((c) => c.name)).toEqual(['b']);
    expect(doc.text).toBe('text <here><raw> & ');
  });

  it('normalizes literal white space in attribute values but keeps character references', () => {
    const doc = root('<a m="one\ntwo&#10;three"/>');
    expect(doc.attributes.get('m')).toBe('one two\nthree');
  });

  it('skips a DOCTYPE with an internal subset without expanding anything', () => {
    const doc = root('<!DOCTYPE a [ <!ENTITY boom "x"> ]><a>&boom;</a>');
    expect(doc.text).toBe('&boom;');
  });

  it('skips a byte-order mark, comments and processing instructions inside elements', () => {
    const doc = root('\ufeff<a><!-- note --><?pi x?><b>1</b></a>');
    expect(doc.children.map((c) => c.text)).toEqual(['1']);
  });

  it.each([
    ['', 'line 1: no root element'],
    ['just text', 'line 1: expected the root element'],
    ['<a>\n<b>\n</a>', 'line 3: </a> does not close <b>'],
    ['<a>\n<b>', 'line 2: unexpected end of input inside <b>'],
    ['<a x="1></a>', 'line 1: unterminated value for x in <a>'],
    ['<a x=1/>', 'line 1: expected a quoted value for x in <a>'],
    ['<a></a><b/>', 'line 1: content after the root element'],
    ['<a><!-- open</a>', 'line 1: unterminated comment'],
    ['<a><![CDATA[ x</a>', 'line 1: unterminated CDATA section'],
    ['<a x="1"y="2"/>', "line 1: expected a space, '>' or '/>' in <a>"],
  ])('reports %j as an error with its line', (xml, expected) => {
    const result = parseXml(xml);
    expect(result.kind).toBe('error');
    if (result.kind === 'error') expect(`line ${result.line}: ${result.message}`).toBe(expected);
  });

  it('refuses nesting deeper than 256 elements instead of exhausting anything', () => {
    const xml = `${'<a>'.repeat(300)}${'</a>'.repeat(300)}`;
    expect(parseXml(xml)).toMatchObject({ kind: 'error', message: 'elements nested deeper than 256' });
  });

  it('decodes the predefined entities and numeric references, and leaves unknown ones', () => {
    expect(decodeEntities('&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&nbsp;&#xFFFFFFF;')).toBe(`<>&"'AB&nbsp;&#xFFFFFFF;`);
  });
});
