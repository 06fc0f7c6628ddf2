import { Box, Static, Text, useApp, useStdout } from 'ink';
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { fit } from '../cli/table.js';
import { formatDuration } from '../config/units.js';
import { RunPrompt } from './run-prompt.js';
import type { PromptAnswer, RunStore } from './run-store.js';
import type { Line, Tone } from './run-view-model.js';
import { useNow } from './use-now.js';

const COLOR: Record<Tone, string | undefined> = { plain: undefined, good: 'green', bad: 'red', warn: 'yellow', muted: 'gray', accent: 'cyan' };

function tone(t: Tone): { color?: string; bold?: boolean } {
  const color = COLOR[t];
  return { ...(color === undefined ? {} : { color }), ...(t === 'accent' ? { bold: true } : {}) };
}

export interface RunScreenProps {
  store: RunStore;
  columns: number;
  onInterrupt: () => void;
  now?: () => number;
}

/**
 * `prose run` on a terminal. Finished steps, retries, judgements and phases are printed once
 * (<Static>); below them, live: the steps still running with their elapsed time, the newest
 * lines of the active agent's output, a prompt when a gate or an input needs an answer, and the
 * run's totals.
 */
export function RunScreen({ store, columns, onInterrupt, now = Date.now }: RunScreenProps) {
  const { view, prompt } = useSyncExternalStore(store.subscribe, store.snapshot);
  const time = useNow(1000, view.finished === undefined && view.active.length > 0, now);
  const { exit } = useApp();
  // Exit once the last frame, with the run's result, has been drawn.
  useEffect(() => {
    if (view.finished !== undefined) exit();
  }, [view.finished, exit]);
  const answer = useCallback((a: PromptAnswer | undefined) => (prompt === undefined ? undefined : store.answer(prompt.id, a)), [store, prompt]);
  // Ink draws again on resize; read the width then. A pseudo-terminal may report 0 columns.
  const live = useStdout().stdout.columns;
  const width = Math.max(20, (live > 0 ? live : columns > 0 ? columns : 80) - 2);
  return (
    <>
      <Static items={[...view.lines]}>
        {(line: Line) => (
          <Text key={line.id} {...tone(line.tone)}>
            {fit(line.text, width).trimEnd()}
          </Text>
        )}
      </Static>
      {view.finished === undefined && (
        <Box flexDirection="column">
          {view.active.map((step) => (
            <Text key={step.step}>
              <Text color="cyan">{'  … '}</Text>
              {fit(`${step.label}${step.attempt > 1 ? ` (attempt ${step.attempt})` : ''}${step.detail === '' ? '' : `: ${step.detail}`}`, width - 14).trimEnd()}
              <Text dimColor>{` ${formatDuration(Math.max(0, time - step.startedAt))}`}</Text>
            </Text>
          ))}
          {view.tail.map((line, i) => (
            <Text key={i} dimColor>
              {fit(`    │ ${line}`, width).trimEnd()}
            </Text>
          ))}
          {prompt !== undefined && <RunPrompt request={prompt} onAnswer={answer} onInterrupt={onInterrupt} />}
          {!view.dryRun && (
            <Text dimColor>
              {view.phase === null ? '' : `phase ${view.phase} · `}
              {view.done} done{view.failed > 0 ? ` · ${view.failed} failed` : ''} · {formatDuration(Math.max(0, time - view.startedAt))}
            </Text>
          )}
        </Box>
      )}
    </>
  );
}
