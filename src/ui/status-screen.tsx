import { Box, Text, useApp, useInput } from 'ink';
import { useEffect } from 'react';
import type { ProjectStatus } from '../cli/views/project-status.js';
import type { SessionStatus } from '../tmux/status.js';
import { statusFingerprint } from './status-rows.js';
import { StatusView } from './status-view.js';
import { useRefresh } from './use-refresh.js';

export interface StatusScreenProps {
  load: () => Promise<SessionStatus | ProjectStatus>;
  /** Refresh period while watching; undefined renders one frame and exits. */
  intervalMs: number | undefined;
  columns: number;
}

/** `choiros status` on a terminal: one frame, or a live table with `--watch` (q quits). */
export function StatusScreen({ load, intervalMs, columns }: StatusScreenProps) {
  const { exit } = useApp();
  const { value, error } = useRefresh(load, intervalMs, statusFingerprint);
  useInput(
    (input, key) => {
      if (input === 'q' || key.escape) exit();
    },
    { isActive: intervalMs !== undefined },
  );
  useEffect(() => {
    if (value !== undefined && intervalMs === undefined) exit();
  }, [value, intervalMs, exit]);
  if (value === undefined) return <Text dimColor>{error ?? 'Asking tmux…'}</Text>;
  return (
    <Box flexDirection="column">
      <StatusView status={value} columns={columns} />
      {error !== undefined && <Text color="red">{error}</Text>}
      {intervalMs !== undefined && <Text dimColor>Refreshing every {Math.round(intervalMs / 100) / 10}s · q to quit</Text>}
    </Box>
  );
}
