import { Box, Static, Text, useApp, useStdout } from 'ink';
import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import { fit } from '../cli/table.js';
import { formatDuration } from '../config/units.js';
import { RunPrompt } from './run-prompt.js';
import type { PromptAnswer, PromptRequest, RunStore } from './run-store.js';
import { toneProps, TreeLine } from './run-tree-line.js';
import { fitRows } from './run-tree-fit.js';
import { rowTree } from './run-tree-rows.js';
import type { Line } from './run-view-model.js';
import { useNow } from './use-now.js';

export interface RunScreenProps {
  store: RunStore;
  columns: number;
  onInterrupt: () => void;
  now?: () => number;
}

/** Lines a prompt takes: its border, title and hint, and its options or the line being typed. */
function promptHeight(prompt: PromptRequest | undefined): number {
  if (prompt === undefined) return 0;
  return 4 + (prompt.kind === 'choice' ? prompt.options.length + 1 : 1);
}

/**
 * `prose run` on a terminal. Live: the program's statement tree with the state of each
 * statement, the running steps' newest output under them, a prompt when a gate or an input needs
 * an answer, and the run's totals — cut to the terminal's height. Printed once above it
 * (<Static>): the run's header, retries, judgements, warnings, failed steps, and at the end the
 * tree as it ended and the result.
 */
export function RunScreen({ store, columns, onInterrupt, now = Date.now }: RunScreenProps) {
  const { view, tree, revision, prompt } = useSyncExternalStore(store.subscribe, store.snapshot);
  const time = useNow(1000, view.finished === undefined && view.active.length > 0, now);
  const { exit } = useApp();
  // Exit once the last frame, with the run's result, has been drawn.
  useEffect(() => {
    if (view.finished !== undefined) exit();
  }, [view.finished, exit]);
  const answer = useCallback((a: PromptAnswer | undefined) => (prompt === undefined ? undefined : store.answer(prompt.id, a)), [store, prompt]);
  // Ink draws again on resize; read the size then. A pseudo-terminal may report 0 columns.
  const { stdout } = useStdout();
  const width = Math.max(20, (stdout.columns > 0 ? stdout.columns : columns > 0 ? columns : 80) - 2);
  const budget = (stdout.rows > 0 ? stdout.rows : 24) - 2 - promptHeight(prompt);
  const live = view.finished === undefined && !view.dryRun;
  // The tree is laid out again only when it changed, the clock ticked or the terminal resized.
  const rows = useMemo(() => (live ? fitRows(rowTree(tree, time), budget) : []), [live, tree, revision, time, budget]);
  return (
    <>
      <Static items={[...view.lines]}>
        {(line: Line) =>
          line.row === undefined ? (
            <Text key={line.id} {...toneProps(line.tone)}>
              {fit(line.text, width).trimEnd()}
            </Text>
          ) : (
            <TreeLine key={line.id} row={line.row} width={width} />
          )
        }
      </Static>
      {view.finished === undefined && (
        <Box flexDirection="column">
          {rows.map((row, i) => (
            <TreeLine key={i} row={row} width={width} />
          ))}
          {prompt !== undefined && <RunPrompt request={prompt} onAnswer={answer} onInterrupt={onInterrupt} />}
          {!view.dryRun && (
            <Text dimColor>
              {fit(`${view.phase === null ? '' : `phase ${view.phase} · `}${view.done} done${view.failed > 0 ? ` · ${view.failed} failed` : ''} · ${formatDuration(Math.max(0, time - view.startedAt))}`, width).trimEnd()}
            </Text>
          )}
        </Box>
      )}
    </>
  );
}
