import { Text } from 'ink';
import { fit } from '../cli/table.js';
import type { TreeRow } from './run-tree-rows.js';
import type { Tone } from './run-view-model.js';

const COLOR: Record<Tone, string | undefined> = { plain: undefined, good: 'green', bad: 'red', warn: 'yellow', muted: 'gray', accent: 'cyan' };

export function toneProps(t: Tone): { color?: string; bold?: boolean } {
  const color = COLOR[t];
  return { ...(color === undefined ? {} : { color }), ...(t === 'accent' ? { bold: true } : {}) };
}

/** Two spaces a level, but never more than a third of the line: deep nesting still leaves room to read. */
export function indentOf(depth: number, width: number): string {
  return '  '.repeat(Math.max(0, Math.min(depth, Math.floor(width / 6))));
}

/**
 * One row of the statement tree in `width` columns: indentation, the state's glyph in its color,
 * the statement cut with … to fit, and its time at the end (never cut).
 */
export function TreeLine({ row, width }: { row: TreeRow; width: number }) {
  const indent = indentOf(row.depth, width);
  const time = row.time === '' ? '' : ` ${row.time}`;
  const room = Math.max(1, width - indent.length - 2 - time.length);
  const text = fit(row.text.replace(/\s+/g, ' '), room).trimEnd();
  const quiet = row.kind !== 'node' || row.tone === 'muted';
  return (
    <Text>
      {indent}
      <Text {...toneProps(row.tone)}>{row.glyph}</Text> <Text dimColor={quiet}>{text}</Text>
      <Text dimColor>{time}</Text>
    </Text>
  );
}
