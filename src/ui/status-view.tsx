import { Box, Text } from 'ink';
import type { SessionStatus } from '../tmux/status.js';
import { STATUS_HEADER, statusRow, statusTitle, toneOf, type Tone } from './status-rows.js';

const TONE_COLOR: Record<Tone, string | undefined> = { good: 'green', warn: 'yellow', bad: 'red', muted: 'gray' };

function widths(rows: readonly (readonly string[])[]): number[] {
  const out: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (out[i] = Math.max(out[i] ?? 0, cell.length)));
  return out;
}

export interface StatusViewProps {
  status: SessionStatus;
  columns: number;
}

/** The session's windows as a table: state colored, the last log line cut to the terminal width. */
export function StatusView({ status, columns }: StatusViewProps) {
  const rows = status.windows.map(statusRow);
  const fixed = widths([[...STATUS_HEADER], ...rows]).slice(0, -1);
  const used = fixed.reduce((sum, w) => sum + w + 2, 0);
  const lastWidth = Math.max(8, columns - used);
  return (
    <Box flexDirection="column">
      <Text bold>{statusTitle(status)}</Text>
      {status.running && (
        <Box flexDirection="column" marginTop={1}>
          <Box>
            {STATUS_HEADER.map((h, i) => (
              <Box key={h} width={i < fixed.length ? (fixed[i] ?? 0) + 2 : lastWidth}>
                <Text dimColor wrap="truncate">
                  {h}
                </Text>
              </Box>
            ))}
          </Box>
          {rows.map((row, r) => {
            const window = status.windows[r];
            const color = window === undefined ? undefined : TONE_COLOR[toneOf(window.state)];
            return (
              <Box key={row[0]}>
                {row.map((cell, i) => (
                  <Box key={i} width={i < fixed.length ? (fixed[i] ?? 0) + 2 : lastWidth}>
                    <Text wrap="truncate" {...(i === 1 && color !== undefined ? { color } : {})} {...(i === row.length - 1 ? { dimColor: true } : {})}>
                      {cell}
                    </Text>
                  </Box>
                ))}
              </Box>
            );
          })}
        </Box>
      )}
    </Box>
  );
}
