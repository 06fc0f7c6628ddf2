/**
 * Deterministic step addresses. Every session, exec, gate, verify, checkpoint and rollback gets
 * a key from where it is in the program and how execution got there, so that a second
 * interpretation of the same program, with the same inputs and oracle answers, computes the same
 * keys and can replay recorded values instead of repeating finished work (`prose resume`).
 *
 *   12:3                  the node at line 12, column 3
 *   14:1#2/15:5           inside iteration 2 of the loop (repeat, for, map…) at 14:1
 *   16:1&0/17:7           inside branch 0 (program order) of the parallel at 16:1
 *   30:1>solve/8:3        inside the block (or used program) `solve`, called at 30:1
 *
 * Keys never depend on timing: branch numbers are program order, not completion order, and a
 * retry is another attempt of the same step, not a new key.
 */
import type { Source, Span } from '../prose/index.js';

export function position(source: Source, span: Span): string {
  const { line, column } = source.position(span.start);
  return `${line}:${column}`;
}

export const iterationFrame = (at: string, index: number): string => `${at}#${index}/`;
export const branchFrame = (at: string, index: number): string => `${at}&${index}/`;
export const callFrame = (at: string, name: string): string => `${at}>${name}/`;

/** A key as a file name: for the log of a step that has no task id (a dry run). */
export function fileSafe(key: string): string {
  return key.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
}
