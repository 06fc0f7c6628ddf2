import { Box, Text } from 'ink';
import { memo } from 'react';
import type { FrameLine, Segment } from './play-frame.js';
import type { Tone } from './play-format.js';

export const TONE_COLOR: Record<Tone, string> = { good: 'green', warn: 'yellow', bad: 'red', muted: 'gray', active: 'cyan' };

const plain = (s: Segment) => s.tone === undefined && s.bold !== true;

/** A line's content without the outer box: adjacent unstyled segments joined, trailing padding dropped. */
function content(line: FrameLine): Segment[] {
  const out: Segment[] = [];
  for (const seg of line) {
    if (seg.border === true) continue;
    const prev = out.at(-1);
    if (prev !== undefined && plain(prev) && plain(seg)) out[out.length - 1] = { text: prev.text + seg.text };
    else out.push(seg);
  }
  const last = out.at(-1);
  if (last !== undefined && plain(last)) out[out.length - 1] = { text: last.text.trimEnd() };
  return out;
}

function lineKey(line: FrameLine): string {
  return line.map((s) => `${s.tone ?? ''}${s.bold === true ? '*' : ''}\u0001${s.text}`).join('\u0002');
}

/** One line; React skips it when its text and styles did not change (most rows of a long play). */
const Line = memo(
  function Line({ line }: { line: FrameLine; id: string }) {
    return (
      <Text wrap="truncate">
        {content(line).map((seg, j) =>
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

const TITLE_BOX = { topLeft: '╔', top: '═', topRight: '╗', left: '║', right: '║', bottomLeft: '╠', bottom: '═', bottomRight: '╣' };
const BODY_BOX = { topLeft: '', top: '', topRight: '', left: '║', right: '║', bottomLeft: '╚', bottom: '═', bottomRight: '╝' };

/**
 * The play dashboard: the frame of play-frame.ts (title line, then the body), its double box
 * drawn by Ink rather than padded into every line — Ink renders character by character, so
 * the padding would cost as much as the content. Lines that did not change skip React.
 */
export function PlayDashboard({ frame }: { frame: readonly FrameLine[] }) {
  const width = frame[0]?.reduce((n, s) => n + s.text.length, 0) ?? 0;
  const title = frame[1] ?? [];
  const body = frame.slice(3, -1);
  return (
    <Box flexDirection="column" width={width}>
      <Box borderStyle={TITLE_BOX}>
        <Line line={title} id={lineKey(title)} />
      </Box>
      <Box borderStyle={BODY_BOX} borderTop={false} flexDirection="column" paddingX={2}>
        {body.map((line, i) => (
          <Line key={i} line={line} id={lineKey(line)} />
        ))}
      </Box>
    </Box>
  );
}
