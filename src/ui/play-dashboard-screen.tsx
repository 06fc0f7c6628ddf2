import { Box, Static, Text, useApp, useInput } from 'ink';
import { useEffect } from 'react';
import type { LogItem } from './dashboard-log.js';
import { PlayDashboard, TONE_COLOR } from './play-dashboard.js';
import type { FrameLine } from './play-frame.js';
import { useRefresh } from './use-refresh.js';

export interface DashboardSnapshot {
  frame: FrameLine[];
  /** Ended stages and deviations so far (append-only). */
  log: LogItem[];
  /** The run is still going: keep refreshing. */
  live: boolean;
}

export function snapshotKey(snapshot: DashboardSnapshot): string {
  return `${snapshot.log.length}\u0000${snapshot.frame.map((line) => line.map((s) => s.text).join('')).join('\n')}`;
}

export interface PlayDashboardScreenProps {
  load: () => Promise<DashboardSnapshot>;
  intervalMs: number;
}

/**
 * `choiros dashboard` on a terminal: finished stages and deviations scroll into <Static> above,
 * the frame below redraws only when what it shows changes; it leaves by itself when the run ends.
 */
export function PlayDashboardScreen({ load, intervalMs }: PlayDashboardScreenProps) {
  const { exit } = useApp();
  const { value, error } = useRefresh(load, intervalMs, snapshotKey);
  const live = value?.live ?? true;
  useInput(
    (input, key) => {
      if (input === 'q' || key.escape) exit();
    },
    { isActive: live },
  );
  useEffect(() => {
    if (value !== undefined && !value.live) exit();
  }, [value, exit]);
  return (
    <>
      <Static items={value?.log ?? []}>
        {(item) => (
          <Text key={item.key} color={TONE_COLOR[item.tone]}>
            {item.text}
          </Text>
        )}
      </Static>
      <Box flexDirection="column">
        {value === undefined ? <Text dimColor>{error ?? 'Reading the ledger…'}</Text> : <PlayDashboard frame={value.frame} />}
        {value !== undefined && error !== undefined && <Text color="red">{error}</Text>}
        {live && value !== undefined && <Text dimColor>Live · q to quit</Text>}
      </Box>
    </>
  );
}
