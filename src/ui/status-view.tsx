import { Box, Text } from 'ink';
import { fit } from '../cli/table.js';
import { wrapParts } from '../util/wrap.js';
import type { SessionStatus } from '../tmux/status.js';
import { STATUS_HEADER, projectLine, statusRow, statusTitle, toneOf, type Tone } from './status-rows.js';

const TONE_COLOR: Record<Tone, string> = { good: 'green', warn: 'yellow', bad: 'red', muted: 'gray' };

function widths(rows: readonly (readonly string[])[]): number[] {
  const out: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (out[i] = Math.max(out[i] ?? 0, cell.length)));
  return out;
}

export interface StatusViewProps {
  status: SessionStatus & Parameters<typeof projectLine>[0];
  columns: number;
  now?: number;
}

/**
 * The session's windows as a table: state colored, the last log line cut to the terminal
 * width. Each row is one Text (cells padded here, not laid out by Yoga), which keeps a live
 * frame cheap enough to redraw every second.
 */
export function StatusView({ status, columns, now = Date.now() }: StatusViewProps) {
  const project = projectLine(status, now);
  const rows = status.windows.map(statusRow);
  const width = widths([[...STATUS_HEADER], ...rows]);
  const cell = (text: string, i: number) => fit(text, width[i] ?? 0);
  const line = (cells: readonly string[], from: number, to: number) => cells.slice(from, to).map((c, j) => cell(c, from + j)).join('  ');
  const used = width.slice(0, -1).reduce((sum, w) => sum + w + 2, 0);
  const rest = Math.max(0, columns - used);
  return (
    <Box flexDirection="column">
      <Text bold>{wrapParts(statusTitle(status).split(' · '), columns).join('\n')}</Text>
      {project !== undefined && <Text dimColor>{wrapParts(project.split(' · '), columns).join('\n')}</Text>}
      {status.running && (
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>{`${line(STATUS_HEADER, 0, 6)}  ${fit(STATUS_HEADER[6], rest)}`.trimEnd()}</Text>
          {rows.map((row, r) => {
            const window = status.windows[r];
            const tone = window === undefined ? 'muted' : toneOf(window.state);
            return (
              <Text key={row[0]}>
                {`${cell(row[0] ?? '', 0)}  `}
                <Text color={TONE_COLOR[tone]}>{cell(row[1] ?? '', 1)}</Text>
                {`  ${line(row, 2, 6)}  `}
                <Text dimColor>{fit(row[6] ?? '', rest).trimEnd()}</Text>
              </Text>
            );
          })}
        </Box>
      )}
    </Box>
  );
}
