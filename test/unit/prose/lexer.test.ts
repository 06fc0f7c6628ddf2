import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../../src/prose/diagnostics.js';
import { lex } from '../../../src/prose/lexer.js';
import { Source } from '../../../src/prose/source.js';

/** Tokens in a compact form: layout in capitals, strings quoted, everything else as written. */
function tokens(text: string): string {
  const sink = new DiagnosticSink(new Source(text));
  return lex(text, sink)
    .tokens.map((t) => {
      if (t.kind === 'string') return t.triple ? `"""${t.value}"""` : JSON.stringify(t.value);
      if (t.kind === 'discretion') return t.triple ? `***${t.value}***` : `**${t.value}**`;
      if (t.kind === 'name' || t.kind === 'punct' || t.kind === 'number') return t.value;
      return t.kind.toUpperCase();
    })
    .join(' ');
}

function lexDiagnostics(text: string): string[] {
  const sink = new DiagnosticSink(new Source(text));
  lex(text, sink);
  return sink.finish().map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`);
}

describe('lexer', () => {
  it('emits INDENT and DEDENT around blocks and ignores blank and comment lines', () => {
    expect(tokens('if x:\n  a\n\n  # note\n  b\nc\n')).toBe('if x : NEWLINE INDENT a NEWLINE b NEWLINE DEDENT c NEWLINE EOF');
  });

  it('closes every open block at the end of the file', () => {
    expect(tokens('a:\n  b:\n    c')).toBe('a : NEWLINE INDENT b : NEWLINE INDENT c NEWLINE DEDENT DEDENT EOF');
  });

  it('queues a hundred DEDENTs at once when a deeply nested program ends', () => {
    const depth = 100;
    const text = Array.from({ length: depth + 1 }, (_, d) => `${'  '.repeat(d)}b${d}:`).join('\n');
    const lexed = tokens(text).split(' ');
    expect(lexed.filter((t) => t === 'INDENT')).toHaveLength(depth);
    expect(lexed.slice(-(depth + 2))).toEqual(['NEWLINE', ...Array<string>(depth).fill('DEDENT'), 'EOF']);
  });

  it('reads hyphenated names but never `->` or spaced subtraction as part of a name', () => {
    expect(tokens('security-reviewer a->b a - b x-1')).toBe('security-reviewer a -> b a - b x-1 NEWLINE EOF');
  });

  it('decodes the four escapes and keeps an unknown one with a warning', () => {
    expect(tokens('"a\\\\b \\"q\\" \\n \\t \\d"')).toBe(`${JSON.stringify('a\\b "q" \n \t \\d')} NEWLINE EOF`);
    expect(lexDiagnostics('"x \\d"')).toEqual(['1:4 E002 unknown escape `\\d` is kept as written']);
  });

  it('reports an unterminated string at its opening quote', () => {
    expect(lexDiagnostics('session "open\nnext')).toEqual(['1:9 E001 unterminated string: add a closing `"` on the same line']);
  });

  it('keeps triple-quoted strings raw: no escapes, no comments, no layout inside', () => {
    expect(tokens('x = """a \\n # b\n  c"""\ny')).toBe('x = """a \\n # b\n  c""" NEWLINE y NEWLINE EOF');
  });

  it('opens a nested level for a `"""` after `NAME:` inside a triple string', () => {
    const text = 'p: """\nsample:\n  prompt: """\n    inner\n  """\nafter\n"""\n';
    expect(tokens(text)).toBe('p : """\nsample:\n  prompt: """\n    inner\n  """\nafter\n""" NEWLINE EOF');
  });

  it('lets content end with a quote right before the closing `"""`', () => {
    expect(tokens('"""say "hi""""')).toBe('"""say "hi"""" NEWLINE EOF');
  });

  it('reports an unterminated triple string', () => {
    expect(lexDiagnostics('x = """\nnever closed\n')).toEqual(['1:5 E001 unterminated triple-quoted string: add a closing `"""`']);
  });

  it('reads discretion markers on one line and across lines', () => {
    expect(tokens('if **done**:')).toBe('if **done** : NEWLINE EOF');
    expect(tokens('loop until ***\n  tests pass\n***:\n  a')).toBe('loop until ***\n  tests pass\n*** : NEWLINE INDENT a NEWLINE DEDENT EOF');
    expect(lexDiagnostics('if **open:')).toEqual(['1:4 E001 unterminated discretion: add a closing `**` on the same line']);
  });

  // Each marker once searched to the end of its line: 10 MB of markers on one line took minutes
  // (half a second now). The bound is generous on purpose; bench/prose-check.mjs measures speed.
  it('lexes a 10 MB line of discretion markers in linear time', { timeout: 30_000 }, () => {
    const text = '**ab**'.repeat(1_750_000);
    const sink = new DiagnosticSink(new Source(text));
    const started = performance.now();
    const { tokens: lexed } = lex(text, sink);
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(lexed.length).toBe(1_750_002);
    expect(lexed.at(-3)).toMatchObject({ kind: 'discretion', value: 'ab', start: text.length - 6, end: text.length });
    expect(sink.finish()).toEqual([]);
  });

  it('continues a logical line inside brackets', () => {
    expect(tokens('let c = {\n  a: 1,  # one\n  b: [2,\n    3],\n}\nnext')).toBe('let c = { a : 1 , b : [ 2 , 3 ] , } NEWLINE next NEWLINE EOF');
  });

  it('gives up on a bracket that is never closed when a statement starts at its indentation', () => {
    expect(tokens('let a = [1,\nlet b = 2')).toBe('let a = [ 1 , NEWLINE let b = 2 NEWLINE EOF');
  });

  it('continues a pipeline on lines that start with `|`, closing the step blocks before them', () => {
    const text = 'let r = xs\n  | map:\n      a\n  | filter:\n      b\nz';
    expect(tokens(text)).toBe('let r = xs | map : NEWLINE INDENT a NEWLINE DEDENT | filter : NEWLINE INDENT b NEWLINE DEDENT z NEWLINE EOF');
  });

  it('continues a sequence on lines that start with `->`', () => {
    expect(tokens('session "a"\n  -> session "b"')).toBe('session "a" -> session "b" NEWLINE EOF');
  });

  it('reads CRLF files like LF files', () => {
    expect(tokens('a:\r\n  b\r\n')).toBe(tokens('a:\n  b\n'));
    expect(tokens('x = """one\r\ntwo"""\r\n')).toBe('x = """one\ntwo""" NEWLINE EOF');
    expect(tokens('x = """one\r\r\ntwo"""')).toBe('x = """one\ntwo""" NEWLINE EOF');
  });

  it('reports a tab in indentation', () => {
    expect(lexDiagnostics('a:\n\tb\n')).toEqual(['2:1 E005 indentation uses a tab: indent with spaces']);
  });

  it('reports a dedent that matches no outer level', () => {
    expect(lexDiagnostics('a:\n    b\n  c\n')).toEqual(['3:3 E005 this line is indented less than its block but more than the enclosing one']);
  });

  it('reads a no-break space between tokens as a space', () => {
    expect(tokens('let\u00a0x = 1')).toBe('let x = 1 NEWLINE EOF');
  });

  it('reports unexpected characters once per line', () => {
    expect(lexDiagnostics('a $ $ $\nb \u0000\n')).toEqual(['1:3 E004 unexpected character `$`', '2:3 E004 unexpected character U+0000']);
  });
});
