/** What an agent CLI's output says once it is over. */
export interface AgentOutput {
  /** The final answer: the session's value. */
  text: string;
  costUsd: number | undefined;
  sessionId: string | undefined;
  /** Set when the output itself reports a failure, whatever the exit code. */
  error: string | undefined;
}

export function plainOutput(stdout: string): AgentOutput {
  return { text: stdout.trim(), costUsd: undefined, sessionId: undefined, error: undefined };
}

export function plainLiveLines(line: string): string[] {
  return line.trim() === '' ? [] : [line];
}
