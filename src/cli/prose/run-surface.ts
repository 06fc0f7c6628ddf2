import type { EventSink } from '../../runtime/events.js';
import type { GatePort, InputPort } from '../../runtime/ports.js';
import type { ProgramUnit } from '../../runtime/program.js';
import type { CommandContext } from '../command.js';
import { jsonPrinter, plainPrinter } from './run-print.js';
import { unattendedGates, unattendedInputs } from './run-wiring.js';

/** Where a run is shown and how a person answers it: the Ink view on a terminal, plain lines or JSON otherwise. */
export interface RunSurface {
  emit: EventSink;
  inputs: InputPort;
  gates: GatePort;
  /** Someone can answer prompts (a terminal, not --json, not autonomous). */
  interactive: boolean;
  close(): Promise<void>;
}

export interface SurfaceOptions {
  json: boolean;
  interactive: boolean;
  /** The program and the phase to run: the terminal view draws the tree of its statements. */
  program?: { unit: ProgramUnit; phase: string | undefined };
}

export async function openSurface(ctx: CommandContext, options: SurfaceOptions): Promise<RunSurface> {
  if (options.json) return { emit: jsonPrinter(ctx.out), inputs: unattendedInputs, gates: unattendedGates, interactive: false, close: async () => {} };
  if (ctx.out.isTTY) {
    const { importUi } = await import('../../ui/import-ui.js');
    const { mountRunView } = await importUi(() => import('../../ui/run-render.js'), { color: ctx.out.color });
    return mountRunView({ out: ctx.out, stdin: ctx.stdin, interactive: options.interactive, ...(options.program === undefined ? {} : { program: options.program }) });
  }
  return { emit: plainPrinter(ctx.out), inputs: unattendedInputs, gates: unattendedGates, interactive: false, close: async () => {} };
}
