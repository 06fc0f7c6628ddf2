import { createElement } from 'react';
import { render } from 'ink';
import type { RunSurface } from '../cli/prose/run-surface.js';
import type { Output } from '../cli/output.js';
import { readValue } from '../cli/prose/run-args.js';
import { unattendedGates, unattendedInputs } from '../cli/prose/run-wiring.js';
import { FEEDBACK_OPTION } from '../runtime/gate-options.js';
import type { GatePort, InputPort } from '../runtime/ports.js';
import type { ProgramUnit } from '../runtime/program.js';
import { outlineOf } from './run-outline.js';
import { RunScreen } from './run-screen.js';
import { RunStore } from './run-store.js';
import { userName } from '../util/user-name.js';
import { sizedStdout } from './sized-stdout.js';


function terminalPorts(store: RunStore, user: string): { inputs: InputPort; gates: GatePort } {
  return {
    inputs: {
      ask: async (name, prompt, signal) => {
        const answer = await store.ask({ kind: 'text', title: `${prompt} (${name})`, options: [], feedbackFor: [], timeoutMs: undefined, fallback: undefined }, signal);
        return answer === undefined ? undefined : readValue(answer.value);
      },
    },
    gates: {
      live: true,
      ask: async (request, signal) => {
        const answer = await store.ask({ kind: 'choice', title: request.prompt, options: request.options, feedbackFor: request.options.filter((o) => FEEDBACK_OPTION.test(o)), timeoutMs: request.timeoutMs, fallback: request.fallback }, signal);
        return answer === undefined ? undefined : { answer: answer.value, feedback: answer.feedback, by: answer.timedOut === true ? 'default' : user };
      },
    },
  };
}

/** Mounts the run view of `program` (the tree of its statements); prompts go to the terminal unless the run is autonomous. */
export function mountRunView(options: { out: Output; stdin: NodeJS.ReadStream; interactive: boolean; user?: string; program?: { unit: ProgramUnit; phase: string | undefined } }): RunSurface {
  const stdout = sizedStdout(options.out);
  const outline = options.program === undefined ? undefined : outlineOf(options.program.unit, options.program.phase);
  const store = new RunStore({ ...(outline === undefined ? {} : { outline }), rows: () => (stdout.rows > 0 ? stdout.rows : 24) });
  // Raw mode (while a prompt listens) turns Ctrl-C into a key: send the signal it would have been.
  const onInterrupt = () => process.kill(process.pid, 'SIGINT');
  const app = render(createElement(RunScreen, { store, columns: options.out.columns, onInterrupt }), {
    stdout,
    stdin: options.stdin,
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 10,
  });
  const ports = options.interactive ? terminalPorts(store, options.user ?? userName(process.env) ?? 'terminal') : { inputs: unattendedInputs, gates: unattendedGates };
  return {
    emit: store.dispatch,
    ...ports,
    interactive: options.interactive,
    close: async () => {
      // A finished run's screen exits by itself after drawing the result; anything else is unmounted.
      if (store.snapshot().view.finished === undefined) app.unmount();
      await Promise.race([app.waitUntilExit(), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      app.unmount();
    },
  };
}
