import { Box, Text, useInput } from 'ink';
import { useEffect, useState } from 'react';
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
  const [selected, setSelected] = useState(0);
  const [typing, setTyping] = useState(request.kind === 'text');
  const [text, setText] = useState('');
  useEffect(() => {
    if (request.timeoutMs === undefined) return;
    const timer = setTimeout(() => onAnswer(request.fallback === undefined ? undefined : { value: request.fallback, feedback: '' }), request.timeoutMs);
    return () => clearTimeout(timer);
  }, [request, onAnswer]);
  const option = request.options[selected] ?? '';
  useInput((input, key) => {
    if (key.ctrl && input === 'c') return onInterrupt();
    if (typing) {
      if (key.return) onAnswer(request.kind === 'text' ? { value: text, feedback: '' } : { value: option, feedback: text });
      else if (key.backspace || key.delete) setText((t) => t.slice(0, -1));
      else if (!key.ctrl && !key.meta && input !== '') setText((t) => t + input);
      return;
    }
    if (key.upArrow) setSelected((s) => (s + request.options.length - 1) % request.options.length);
    else if (key.downArrow || key.tab) setSelected((s) => (s + 1) % request.options.length);
    else if (/^[1-9]$/.test(input) && Number(input) <= request.options.length) setSelected(Number(input) - 1);
    else if (key.return) {
      if (request.feedbackFor.includes(option)) setTyping(true);
      else onAnswer({ value: option, feedback: '' });
    }
  });
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
