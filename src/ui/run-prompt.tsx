import { Box, Text, useInput } from 'ink';
import { useEffect, useReducer } from 'react';
import { initialPrompt, pressKeys, type PromptKey, type PromptState } from './prompt-keys.js';
import type { PromptAnswer, PromptRequest } from './run-store.js';

export interface RunPromptProps {
  request: PromptRequest;
  onAnswer: (answer: PromptAnswer | undefined) => void;
  /** Ctrl-C while the prompt has the keyboard (raw mode swallows the signal). */
  onInterrupt: () => void;
}

/**
 * A gate's options (↑/↓ or the option's number, Enter) — an option like "Modify" then asks for a
 * line of feedback — or a line of text for an input. With a timeout, the fallback answers.
 */
export function RunPrompt({ request, onAnswer, onInterrupt }: RunPromptProps) {
  // A reducer, not a closure over state: keys typed faster than a render still see the latest state.
  const [state, press] = useReducer((current: PromptState, [input, key]: [string, PromptKey]) => pressKeys(current, request, input, key), request, initialPrompt);
  useEffect(() => {
    if (state.answer !== undefined) onAnswer(state.answer);
  }, [state.answer, onAnswer]);
  useEffect(() => {
    if (request.timeoutMs === undefined) return;
    const timer = setTimeout(() => onAnswer(request.fallback === undefined ? undefined : { value: request.fallback, feedback: '', timedOut: true }), request.timeoutMs);
    return () => clearTimeout(timer);
  }, [request, onAnswer]);
  useInput((input, key) => (key.ctrl && input === 'c' ? onInterrupt() : press([input, key])));
  const { selected, typing, text } = state;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1}>
      <Text bold>{request.title}</Text>
      {request.kind === 'choice' &&
        request.options.map((o, i) => (
          <Text key={o} {...(i === selected ? { color: 'cyan' } : {})}>
            {i === selected ? '❯' : ' '} {i + 1}. {o}
          </Text>
        ))}
      {typing && (
        <Text>
          {request.kind === 'choice' ? 'Feedback: ' : '› '}
          {text}
          <Text inverse> </Text>
        </Text>
      )}
      <Text dimColor>{typing ? 'Enter to send' : '↑/↓ to choose, Enter to answer'}{request.timeoutMs === undefined ? '' : ` · ${request.fallback === undefined ? 'waits for approval' : `"${request.fallback}"`} after the timeout`}</Text>
    </Box>
  );
}
