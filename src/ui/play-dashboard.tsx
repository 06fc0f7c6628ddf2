import { Box, Text } from 'ink';
import type { FrameLine } from './play-frame.js';
import type { Tone } from './play-format.js';

export const TONE_COLOR: Record<Tone, string> = { good: 'green', warn: 'yellow', bad: 'red', muted: 'gray', active: 'cyan' };

/**
 * The play dashboard frame: one Text per line, segments already padded by play-frame.ts (no
 * Yoga layout per cell), so a 200-stage run still draws well inside a frame's budget.
 */
export function PlayDashboard({ frame }: { frame: readonly FrameLine[] }) {
  return (
    <Box flexDirection="column">
      {frame.map((line, i) => (
        <Text key={i}>
          {line.map((seg, j) =>
            seg.tone === undefined && seg.bold !== true ? (
              seg.text
            ) : (
              <Text key={j} bold={seg.bold === true} {...(seg.tone === undefined ? {} : { color: TONE_COLOR[seg.tone] })}>
                {seg.text}
              </Text>
            ),
          )}
        </Text>
      ))}
    </Box>
  );
}
