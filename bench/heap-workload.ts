import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BenchOptions } from './bench-options.js';
import type { HeapReport } from './heap-probe.js';
import type { ResultRow } from './result-row.js';
import { BENCH_DATA_BYTES } from './session-fixture.js';
import { SUBJECTS } from './subjects.js';
import type { HeapFigures } from './targets.js';

const PROBE_SCRIPT = fileURLToPath(new URL('./heap-probe.js', import.meta.url));
const run = promisify(execFile);

/** Flat means the heap at the end of the churn is within this of where it began. */
const FLAT_TOLERANCE_BYTES = 1_048_576;

/** Memory: the heap probe in a child process of its own, with `--expose-gc`. */
export async function runHeapWorkload(options: BenchOptions, progress: (line: string) => void): Promise<{ rows: ResultRow[]; heap: HeapFigures }> {
  progress(`heap: ${options.heapSessions.toLocaleString('en-US')} sessions, then ${options.churnTicks.toLocaleString('en-US')} ticks of churn`);
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', PROBE_SCRIPT, String(options.heapSessions), String(options.churnTicks), String(options.churnPerTick)],
    { maxBuffer: 1_048_576 },
  );
  const report = JSON.parse(stdout) as HeapReport;
  const { samples } = report.churn;
  const start = samples[0] ?? 0;
  const end = samples.at(-1) ?? 0;
  const max = Math.max(...samples);
  const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;
  const rows: ResultRow[] = [
    {
      part: 'heap',
      subject: SUBJECTS.heapHold,
      operation: `hold ${report.sessions.toLocaleString('en-US')} sessions`,
      bytesPerSession: report.heapBytesPerSession,
      note: `heap ${Math.round(report.heapBytesPerSession)} B/session, RSS ${Math.round(report.rssBytesPerSession)} B/session (data ${BENCH_DATA_BYTES} B of JSON)`,
    },
    {
      part: 'heap',
      subject: SUBJECTS.heapChurn,
      operation: `${report.churn.created.toLocaleString('en-US')} creates, TTL 1 tick, ${report.churn.ticks.toLocaleString('en-US')} ticks`,
      note: `heap ${kib(start)} → ${kib(end)} (max ${kib(max)} over ${samples.length} samples); ${report.churn.sizeAtEnd} held at the end`,
    },
  ];
  return {
    rows,
    heap: {
      sessions: report.sessions,
      bytesPerSession: report.heapBytesPerSession,
      churnStartBytes: start,
      churnEndBytes: end,
      churnFlat: end - start < FLAT_TOLERANCE_BYTES && max - start < FLAT_TOLERANCE_BYTES,
    },
  };
}
