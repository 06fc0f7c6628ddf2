import { formatDuration } from '../../config/units.js';
import { dryRunCount, failedStep, finishText, type RunEvent } from '../../runtime/events.js';
import type { Output } from '../output.js';
import { wrap } from '../../util/wrap.js';

/** `--json`: every event as one line of JSON. */
export function jsonPrinter(out: Output): (event: RunEvent) => void {
  return (event) => void out.stdout.write(`${JSON.stringify(event)}\n`);
}

function shorten(text: string, width: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > width ? `${line.slice(0, Math.max(1, width - 1))}…` : line;
}

/**
 * Plain lines for a run without a terminal (CI, a log file): a line when each step starts and
 * when it ends, retries, judgements and phases. A dry run lists what would be started, numbered.
 */
export function plainPrinter(out: Output): (event: RunEvent) => void {
  const { style } = out;
  const width = Math.max(40, out.columns - 10);
  let dryRun = false;
  let phased = true;
  let count = 0;
  const indent = new Map<string, string>();
  const labels = new Map<string, string>();
  return (event) => {
    switch (event.type) {
      case 'run.started':
        dryRun = event.dryRun;
        phased = event.phased;
        out.line(style.bold(dryRun ? `dry run of ${event.program}: nothing is started` : `run ${event.runId ?? ''} · ${event.program}`));
        return;
      case 'phase.started':
        if (phased) out.line(style.bold(`▶ phase ${event.phase}`));
        return;
      case 'phase.finished':
        if (event.status !== 'succeeded') out.line(style.dim(`  phase ${event.phase} ${event.status}`));
        return;
      case 'step.started': {
        const pad = event.phase === null || !phased ? '' : '  ';
        indent.set(event.step, pad);
        labels.set(event.step, event.label);
        if (dryRun && event.kind === 'session') count += 1;
        out.line(pad + startLine(event, dryRun ? count : undefined, style, width));
        return;
      }
      case 'step.finished':
        if (!dryRun) out.line((indent.get(event.step) ?? '') + finishLine(event, labels.get(event.step) ?? event.kind, style, width));
        return;
      case 'step.retry':
        out.line(`${indent.get(event.step) ?? ''}${style.yellow('↻')} retry ${event.attempt} in ${formatDuration(event.delayMs)}: ${shorten(event.error, width)}`);
        return;
      case 'step.fallback':
        out.line(`${indent.get(event.step) ?? ''}${style.yellow('↪')} ${event.from} gave up; ${event.to} takes over`);
        return;
      case 'step.replayed':
        out.line(style.dim(`  ↺ ${event.label} (recorded, not run again)`));
        return;
      case 'judgement':
        if (!event.replayed) out.line(style.dim(`  ? ${shorten(event.question, width)} → ${typeof event.answer === 'boolean' ? (event.answer ? 'yes' : 'no') : event.answer}`));
        return;
      case 'warning':
        wrap(`warning: ${event.message}${event.at === undefined ? '' : ` (${event.at})`}`, out.wrapAt, { hanging: '  ' }).forEach((line, i) => out.note(i === 0 ? line.replace(/^warning/, style.yellow('warning')) : line));
        return;
      case 'step.output':
      case 'output':
        return;
      case 'run.finished':
        return printFinish(out, event, dryRun, count);
    }
  };
}

function startLine(event: Extract<RunEvent, { type: 'step.started' }>, dryRunNumber: number | undefined, style: Output['style'], width: number): string {
  const what = `${event.label}${event.detail === '' ? '' : `: ${shorten(event.detail, width - event.label.length)}`}`;
  if (dryRunNumber !== undefined) return `${event.kind === 'session' ? `${dryRunNumber}. ` : '   '}${what}`;
  return `${style.cyan('→')} ${what}${event.attempt > 1 ? style.dim(` (attempt ${event.attempt})`) : ''}`;
}

function finishLine(event: Extract<RunEvent, { type: 'step.finished' }>, label: string, style: Output['style'], width: number): string {
  const mark = failedStep(event) ? style.red('✗') : event.status === 'succeeded' ? style.green('✓') : style.yellow('⏸');
  const took = `(${formatDuration(event.durationMs)})`;
  return `${mark} ${label}: ${shorten(event.summary, Math.max(10, width - label.length - took.length))} ${style.dim(took)}`;
}

function printFinish(out: Output, event: Extract<RunEvent, { type: 'run.finished' }>, dryRun: boolean, sessions: number): void {
  const { style } = out;
  const { headline, text } = finishText(event, formatDuration(event.durationMs), dryRun);
  if (event.status === 'succeeded') {
    out.line(dryRun ? style.bold(dryRunCount(sessions, event.status)) : style.green(style.bold(text)));
  } else {
    const tone = event.status === 'failed' ? style.red : style.yellow;
    const lines = wrap(text, out.wrapAt, { hanging: '  ' });
    lines.forEach((line, i) => out.line(style.bold(i === 0 ? line.replace(headline, tone(headline)) : line)));
    if (dryRun) out.line(style.bold(dryRunCount(sessions, event.status)));
  }
  // A dry run's outputs are what no command printed and a scripted agent made up: `deployed = ` says nothing.
  if (!dryRun) for (const [name, text] of Object.entries(event.outputText)) out.line(`${name} = ${text}`);
}
