import type { ResultRow } from './result-row.js';

/** The results as one Markdown table, in the order they were measured. */
export function renderResultsTable(rows: readonly ResultRow[]): string {
  const header = ['part', 'subject', 'operation', 'c', 'ops/s', 'p50 ms', 'p99 ms', 'cpu µs/req', 'note'];
  const lines = rows.map((row) => [
    row.part,
    row.subject,
    row.operation,
    row.concurrency === undefined ? '' : String(row.concurrency),
    row.opsPerSec === undefined ? '' : Math.round(row.opsPerSec).toLocaleString('en-US'),
    formatMs(row.p50Ms),
    formatMs(row.p99Ms),
    row.cpuUsPerRequest === undefined ? '' : row.cpuUsPerRequest.toFixed(1),
    row.note ?? '',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)));
  const render = (cells: readonly string[]): string =>
    `| ${cells.map((cell, column) => (column >= 3 && column <= 7 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (column >= 3 && column <= 7 ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [render(header), rule, ...lines.map(render)].join('\n');
}

function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms.toFixed(ms < 0.01 ? 4 : ms < 1 ? 3 : 2);
}
