import type { ResultRow } from './result-row.js';

interface Column {
  readonly title: string;
  readonly numeric: boolean;
  readonly cell: (row: ResultRow) => string;
}

const COLUMNS: readonly Column[] = [
  { title: 'part', numeric: false, cell: (row) => row.part },
  { title: 'subject', numeric: false, cell: (row) => row.subject },
  { title: 'operation', numeric: false, cell: (row) => row.operation },
  { title: 'c', numeric: true, cell: (row) => (row.concurrency === undefined ? '' : String(row.concurrency)) },
  { title: 'ratio', numeric: true, cell: (row) => (row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}×`) },
  { title: 'ops/s', numeric: true, cell: (row) => (row.opsPerSec === undefined ? '' : Math.round(row.opsPerSec).toLocaleString('en-US')) },
  { title: 'p50 ms', numeric: true, cell: (row) => formatMs(row.p50Ms) },
  { title: 'p99 ms', numeric: true, cell: (row) => formatMs(row.p99Ms) },
  { title: 'cpu µs/req', numeric: true, cell: (row) => fixed(row.cpuUsPerRequest, 1) },
  { title: 'redis cpu µs/op', numeric: true, cell: (row) => fixed(row.redisCpuUs, 2) },
  { title: 'redis µs/op', numeric: true, cell: (row) => fixed(row.redisServerUs, 2) },
  { title: 'B/session', numeric: true, cell: (row) => fixed(row.bytesPerSession, 0) },
  { title: 'store calls', numeric: true, cell: (row) => (row.roundTrips === undefined ? '' : String(row.roundTrips)) },
  { title: 'note', numeric: false, cell: (row) => row.note ?? '' },
];

/**
 * The results as one Markdown table, in the order they were measured. A column no row fills
 * (the Redis costs in a memory-only run) is left out.
 */
export function renderResultsTable(rows: readonly ResultRow[]): string {
  const all = COLUMNS.map((column) => ({ column, cells: rows.map(column.cell) }));
  const shown = all.filter(({ column, cells }) => ['part', 'subject', 'operation'].includes(column.title) || cells.some((cell) => cell !== ''));
  const widths = shown.map(({ column, cells }) => Math.max(column.title.length, ...cells.map((cell) => cell.length)));
  const render = (cells: readonly string[]): string =>
    `| ${cells.map((cell, i) => (shown[i]?.column.numeric ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `| ${widths.map((width, i) => (shown[i]?.column.numeric ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [render(shown.map(({ column }) => column.title)), rule, ...rows.map((_, r) => render(shown.map(({ cells }) => cells[r] ?? '')))].join('\n');
}

function fixed(value: number | undefined, digits: number): string {
  return value === undefined ? '' : value.toFixed(digits);
}

function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms.toFixed(ms < 0.01 ? 4 : ms < 1 ? 3 : 2);
}
