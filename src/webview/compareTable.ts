/**
 * The comparison table's columns and sort order, apart from Lit so the rules are testable
 * alone: which value each column sorts by, how a missing value sorts (always last, either
 * direction) and the cells' text. Money sorts by the one decimal engine, never as floats.
 */
import type { ComparisonRow } from '../shared/protocol';
import { compareDecimal, formatCount, formatDuration, formatRate, formatUsd } from './format';

export type SortKey = 'model' | 'status' | 'in' | 'out' | 'reasoning' | 'cached' | 'cost' | 'ttft' | 'rate' | 'latency' | 'finish';
export type SortDirection = 'ascending' | 'descending';
export interface SortOrder {
  readonly key: SortKey;
  readonly direction: SortDirection;
}

export interface Column {
  readonly key: SortKey;
  /** Header text (short: the sidebar is narrow) and its spoken name. */
  readonly label: string;
  readonly name: string;
  readonly numeric: boolean;
}

export const COLUMNS: readonly Column[] = [
  { key: 'model', label: 'model', name: 'Model, served model and provider', numeric: false },
  { key: 'status', label: 'status', name: 'Status', numeric: false },
  { key: 'in', label: 'in', name: 'Prompt tokens', numeric: true },
  { key: 'out', label: 'out', name: 'Completion tokens', numeric: true },
  { key: 'reasoning', label: 'reas', name: 'Reasoning tokens', numeric: true },
  { key: 'cached', label: 'cache', name: 'Cached tokens', numeric: true },
  { key: 'cost', label: 'cost', name: 'Exact cost', numeric: true },
  { key: 'ttft', label: 'ttft', name: 'Time to first token', numeric: true },
  { key: 'rate', label: 'tok/s', name: 'Tokens per second', numeric: true },
  { key: 'latency', label: 'total', name: 'Latency', numeric: true },
  { key: 'finish', label: 'finish', name: 'Finish reason', numeric: false },
];

/** Numbers sort by default cheapest/fastest first; "more is better" only for the rate. */
export function firstDirection(key: SortKey): SortDirection {
  return key === 'rate' ? 'descending' : 'ascending';
}

/** Clicking a column: the same one flips, another starts at its natural direction. */
export function nextOrder(current: SortOrder | undefined, key: SortKey): SortOrder {
  if (current?.key === key) return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { key, direction: firstDirection(key) };
}

/** The row field each numeric column sorts by (cost sorts by the decimal engine instead). */
const NUMBER_FIELD: Partial<Record<SortKey, 'promptTokens' | 'completionTokens' | 'reasoningTokens' | 'cachedTokens' | 'ttftMs' | 'tokensPerSecond' | 'latencyMs'>> = {
  in: 'promptTokens',
  out: 'completionTokens',
  reasoning: 'reasoningTokens',
  cached: 'cachedTokens',
  ttft: 'ttftMs',
  rate: 'tokensPerSecond',
  latency: 'latencyMs',
};
const TEXT_FIELD: Partial<Record<SortKey, 'model' | 'status' | 'finishReason'>> = { model: 'model', status: 'status', finish: 'finishReason' };

function numberOf(row: ComparisonRow, key: SortKey): number | undefined {
  const field = NUMBER_FIELD[key];
  return field ? row[field] : undefined;
}

function textOf(row: ComparisonRow, key: SortKey): string | undefined {
  const field = TEXT_FIELD[key];
  return field ? row[field] : undefined;
}

/** Orders two values with a missing one "greater" (the caller keeps it last). */
function missingLast<T>(x: T | undefined, y: T | undefined, order: (x: T, y: T) => number): number {
  if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
  return order(x, y);
}

/** Compares two rows by one column; a missing value is "greater" (the caller keeps it last). */
function compareBy(a: ComparisonRow, b: ComparisonRow, key: SortKey): number {
  if (key === 'cost') return missingLast(a.cost, b.cost, compareDecimal);
  if (COLUMNS.find((c) => c.key === key)?.numeric) return missingLast(numberOf(a, key), numberOf(b, key), (x, y) => x - y);
  return missingLast(textOf(a, key), textOf(b, key), (x, y) => x.localeCompare(y));
}

function missing(row: ComparisonRow, key: SortKey): boolean {
  return key === 'cost' ? row.cost === undefined : COLUMNS.find((c) => c.key === key)?.numeric ? numberOf(row, key) === undefined : textOf(row, key) === undefined;
}

/** The rows in the given order (stable: equal rows keep the order the models were asked in). */
export function sortRows(rows: readonly ComparisonRow[], order: SortOrder | undefined): ComparisonRow[] {
  if (!order) return [...rows];
  const sign = order.direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      const ma = missing(a.row, order.key);
      const mb = missing(b.row, order.key);
      // Unknown values stay at the bottom whichever way the column is sorted.
      if (ma !== mb) return ma ? 1 : -1;
      return sign * compareBy(a.row, b.row, order.key) || a.index - b.index;
    })
    .map((x) => x.row);
}

/** A cell's text; "…" while the value may still come, "–" when it never will. */
export function cellText(row: ComparisonRow, key: SortKey): string {
  const pending = row.status === 'streaming' ? '…' : '–';
  const count = (n: number | undefined) => (n === undefined ? pending : formatCount(n));
  switch (key) {
    case 'model':
      return row.model;
    case 'status':
      return row.status;
    case 'in':
      return count(row.promptTokens);
    case 'out':
      return count(row.completionTokens);
    case 'reasoning':
      return count(row.reasoningTokens);
    case 'cached':
      return count(row.cachedTokens);
    case 'cost':
      return row.cost === undefined ? pending : `${formatUsd(row.cost)}${row.costSource === 'estimate' ? ' est' : ''}`;
    case 'ttft':
      return row.ttftMs === undefined ? pending : formatDuration(row.ttftMs);
    case 'rate':
      return row.tokensPerSecond === undefined ? pending : formatRate(row.tokensPerSecond);
    case 'latency':
      return row.latencyMs === undefined ? pending : formatDuration(row.latencyMs);
    case 'finish':
      return row.finishReason ?? pending;
  }
}
