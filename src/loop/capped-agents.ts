import type { AgentCallIo, AgentPort, AgentRequest, AgentResult } from '../runtime/ports.js';

/**
 * The run's `agent_timeout` cap over every agent call: the call's own timeout (the session's,
 * else the agent's in choiros.yaml) or the cap, whichever is shorter. A call its hard timeout
 * ended is marked `timedOut`, so a session that fails for good that way stops the run at a limit
 * (exit 3) instead of failing it.
 */
export class CappedAgents implements AgentPort {
  constructor(
    private readonly inner: AgentPort,
    private readonly capMs: number | undefined,
    /** The agent's own hard timeout (choiros.yaml `agents.NAME.timeout`). */
    private readonly timeoutOf: (agent: string) => number | undefined,
  ) {}

  async run(request: AgentRequest, io: AgentCallIo): Promise<AgentResult> {
    const own = request.timeoutMs ?? this.timeoutOf(request.agent);
    const timeoutMs = this.capMs === undefined ? own : Math.min(own ?? this.capMs, this.capMs);
    const result = await this.inner.run(timeoutMs === undefined ? request : { ...request, timeoutMs }, io);
    // The adapters mark it, or begin their error with `timed out after 30m`; an agent's own
    // complaint (`exited 1: request timed out`) is a failure, not a cap.
    const timedOut = !result.ok && (result.timedOut === true || /^timed out after /.test(result.error ?? ''));
    return timedOut ? { ...result, timedOut } : result;
  }
}
