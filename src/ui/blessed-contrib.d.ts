// blessed-contrib ships no types; this covers the widgets `choiros monitor` uses.
declare module 'blessed-contrib' {
  import type { Widgets } from 'blessed';

  interface GridOptions {
    rows: number;
    cols: number;
    screen: Widgets.Screen;
    color?: string;
  }
  type Factory = (options: Record<string, unknown>) => Widgets.BlessedElement;

  export class grid {
    constructor(options: GridOptions);
    set<T>(row: number, col: number, rowSpan: number, colSpan: number, widget: unknown, options: Record<string, unknown>): T;
  }

  export interface GaugeWidget extends Widgets.BlessedElement {
    setPercent(percent: number): void;
  }
  export interface BarWidget extends Widgets.BlessedElement {
    setData(data: { titles: string[]; data: number[] }): void;
  }
  export interface SparklineWidget extends Widgets.BlessedElement {
    setData(titles: string[], datasets: number[][]): void;
  }
  export interface LogWidget extends Widgets.BlessedElement {
    log(line: string): void;
  }
  export interface TableWidget extends Widgets.BlessedElement {
    setData(data: { headers: string[]; data: string[][] }): void;
  }

  export const gauge: Factory;
  export const bar: Factory;
  export const sparkline: Factory;
  export const log: Factory;
  export const table: Factory;
}
