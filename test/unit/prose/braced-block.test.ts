import { describe, expect, it } from 'vitest';
import { bracedToIndented } from '../../../src/prose/braced-block.js';
import { parseProgram } from '../../../src/prose/index.js';

function convert(text: string): string {
  return bracedToIndented(text, 0, text.indexOf('{'));
}

describe('the indented form of a braced block', () => {
  it('converts a one-line block', () => {
    expect(convert('if x == 1 { session "a" }')).toBe('if x == 1:\n  session "a"');
    expect(convert('if x { a } else { b = {k: 1} }')).toBe('if x:\n  a\nelse:\n  b = {k: 1}');
  });

  it('converts nested blocks and else chains, keeping object literals', () => {
    const text = ['if mode == "assisted" {', '  let d = {a: 1}', '  if d.a == 1 {', '    session "{x}"', '  } else if y {', '    session "b"', '  }', '} else {', '  session "c"', '}', 'after'].join('\n');
    expect(convert(text)).toBe(['if mode == "assisted":', '  let d = {a: 1}', '  if d.a == 1:', '    session "{x}"', '  elif y:', '    session "b"', 'else:', '  session "c"'].join('\n'));
  });

  it('converts a whole try/catch/finally chain, with `catch (err)` as `catch as err`', () => {
    const text = ['try {', '  session "a"', '} catch (err) {', '  session "b {err}"', '}', 'finally {', '  session "c"', '}', 'after'].join('\n');
    expect(convert(text)).toBe(['try:', '  session "a"', 'catch as err:', '  session "b {err}"', 'finally:', '  session "c"'].join('\n'));
    expect(convert('try { a } catch { b }')).toBe(['try:', '  a', 'catch:', '  b'].join('\n'));
  });

  it('keeps the indentation of the header', () => {
    const text = 'x:\n  loop {\n    a\n  }\n';
    expect(bracedToIndented(text, text.indexOf('loop'), text.indexOf('{'))).toBe('  loop:\n    a');
  });

  it('is the hint of the diagnostic for a braced try', () => {
    const [diagnostic] = parseProgram(['try {', '  session "a"', '} catch {', '  session "b"', '}'].join('\n')).diagnostics;
    expect(diagnostic?.hint).toBe(['indent the block instead:', 'try:', '  session "a"', 'catch:', '  session "b"'].join('\n'));
  });

  it('is the hint of the diagnostic for the seed program', () => {
    const seed = ['if mode == "assisted" {', '  poll "Approve changes?" options=["Yes", "No", "Modify"]', '  if selected == "Modify" {', '    agent apply_changes feedback=human_feedback', '  }', '}'].join('\n');
    const [diagnostic] = parseProgram(seed).diagnostics;
    expect(diagnostic?.hint).toBe(
      ['indent the block instead:', 'if mode == "assisted":', '  poll "Approve changes?" options=["Yes", "No", "Modify"]', '  if selected == "Modify":', '    agent apply_changes feedback=human_feedback'].join('\n'),
    );
  });
});
