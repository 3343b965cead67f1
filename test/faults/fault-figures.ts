import type { RequestRecord } from './mixed-load.js';

/** How the requests sent in `[from, to)` were answered: `{ "200": n, "503": m, "error": k }`. */
export function answersBetween(records: readonly RequestRecord[], from: number, to: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of records) {
    if (record.start < from || record.start >= to) continue;
    const key = String(record.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort());
}

/** Prints one figure line for the report, and returns it for assertions in messages. */
export function reportFigure(name: string, figures: Record<string, unknown>): string {
  const line = `fault figures | ${name} | ${JSON.stringify(figures)}`;
  console.info(line);
  return line;
}
