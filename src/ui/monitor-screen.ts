/**
 * `choiros monitor`: a full-screen wall display (blessed-contrib) — health gauge, stage duration
 * bars, an iteration sparkline, the runs table and a live event log. It reads through `load`
 * and draws only when what it shows changed.
 */
import blessed from 'blessed';
import * as contrib from 'blessed-contrib';
import type { MonitorModel } from './monitor-model.js';

export interface MonitorOptions {
  load: () => Promise<MonitorModel>;
  intervalMs: number;
  signal: AbortSignal;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** False under NO_COLOR: every widget is drawn in the terminal's white (the canvas needs some color). */
  color: boolean;
}

export async function runMonitor(options: MonitorOptions): Promise<void> {
  // @types/blessed declares input and output the wrong way round (input: Writable); cast past it.
  const screen = blessed.screen({ smartCSR: true, title: 'choiros monitor', input: options.input as never, output: options.output as never, autoPadding: true, warnings: false });
  const tone = (color: string) => (options.color ? color : 'white');
  const grid = new contrib.grid({ rows: 12, cols: 12, screen, color: tone('cyan') });
  const gauge = grid.set<contrib.GaugeWidget>(0, 0, 4, 3, contrib.gauge, { label: 'Health', stroke: tone('green'), fill: 'white' });
  const bars = grid.set<contrib.BarWidget>(0, 3, 4, 9, contrib.bar, { label: 'Stage durations (min)', barWidth: 10, barSpacing: 3, xOffset: 1, maxHeight: 10, ...(options.color ? {} : { barBgColor: 'white', barFgColor: 'black' }) });
  const spark = grid.set<contrib.SparklineWidget>(4, 0, 4, 5, contrib.sparkline, { label: 'Task durations', tags: true, style: { fg: tone('cyan'), titleFg: 'white' } });
  const table = grid.set<contrib.TableWidget>(4, 5, 4, 7, contrib.table, { label: 'Runs', keys: false, interactive: false, columnSpacing: 2, columnWidth: [22, 11, 22, 8], fg: 'white' });
  const log = grid.set<contrib.LogWidget>(8, 0, 4, 12, contrib.log, { label: 'Events (q quits)', fg: tone('green') });
  let last = '';
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const draw = (model: MonitorModel) => {
    for (const line of model.log) log.log(line);
    const key = JSON.stringify({ ...model, log: undefined });
    if (key === last && model.log.length === 0) return;
    last = key;
    screen.title = model.title;
    gauge.setLabel(model.health.label);
    gauge.setPercent(model.health.percent);
    bars.setLabel(`Stage durations (${model.stages.unit})`);
    bars.setData(model.stages);
    spark.setData([model.iterations.title], [model.iterations.data.length === 0 ? [0] : model.iterations.data]);
    table.setData(model.runs);
    screen.render();
  };
  const tick = async () => {
    try {
      draw(await options.load());
    } catch (error) {
      log.log(`error: ${error instanceof Error ? error.message : String(error)}`);
      screen.render();
    }
    if (!stopped) timer = setTimeout(() => void tick(), options.intervalMs);
  };

  await new Promise<void>((resolve) => {
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      resolve();
    };
    screen.key(['q', 'escape', 'C-c'], stop);
    options.signal.addEventListener('abort', stop, { once: true });
    void tick();
  });
  screen.destroy();
}
