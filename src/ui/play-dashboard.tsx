import { Box, Text } from 'ink';
import { memo } from 'react';
import type { FrameLine, Segment } from './play-frame.js';
import type { Tone } from './play-format.js';

export const TONE_COLOR: Record<Tone, string> = { good: 'green', warn: 'yellow', bad: 'red', muted: 'gray', active: 'cyan' };

const plain = (s: Segment) => s.tone === undefined && s.bold !== true;

/** Adjacent unstyled segments become one string: fewer nodes for React and Yoga. */
function merge(line: FrameLine): FrameLine {
  const out: Segment[] = [];
  for (const seg of line) {
    const prev = out.at(-1);
    if (prev !== undefined && plain(prev) && plain(seg)) out[out.length - 1] = { text: prev.text + seg.text };
    else out.push(seg);
  }
  return out;
}

function lineKey(line: FrameLine): string {
  return line.map((s) => `${s.tone ?? ''}${s.bold === true ? '*' : ''}\u0001${s.text}`).join('\u0002');
}

/** One line; React skips it when its text and styles did not change (most rows of a long play). */
const Line = memo(
  function Line({ line }: { line: FrameLine; id: string }) {
    return (
      <Text>
        {merge(line).map((seg, j) =>
          plain(seg) ? (
            seg.text
          ) : (
            <Text key={j} bold={seg.bold === true} {...(seg.tone === undefined ? {} : { color: TONE_COLOR[seg.tone] })}>
              {seg.text}
            </Text>
          ),
        )}
      </Text>
    );
  },
  (a, b) => a.id === b.id,
);

/**
 * The play dashboard frame: one Text per line, segments already padded by play-frame.ts (no
 * Yoga layout per cell), and unchanged lines left alone, so a 200-stage run still draws
 * inside a frame's budget.
 */
export function PlayDashboard({ frame }: { frame: readonly FrameLine[] }) {
  return (
    <Box flexDirection="column">
      {frame.map((line, i) => (
        <Line key={i} line={line} id={lineKey(line)} />
      ))}
    </Box>
  );
}
