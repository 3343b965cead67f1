import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** Throughput and latency of one operation run many times. */
export interface Measurement {
  readonly opsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * Runs `operation(0..count-1)` with `concurrency` callers, each starting its next call as soon
 * as its last one settles (a closed loop), and times every call, into `histogram` when given
 * (so that several short runs can be reported as one; the percentiles are then of all of them).
 */
export async function runClosedLoop(
  operation: (index: number) => Promise<unknown>,
  count: number,
  concurrency: number,
  histogram: RecordableHistogram = createHistogram(),
): Promise<Measurement> {
  let next = 0;
  const caller = async (): Promise<void> => {
    for (let index = next++; index < count; index = next++) {
      const started = process.hrtime.bigint();
      await operation(index);
      // The histogram refuses 0; a call can take less than the clock's resolution.
      histogram.record(process.hrtime.bigint() - started || 1n);
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, caller));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    opsPerSec: count / seconds,
    p50Ms: histogram.percentile(50) / 1e6,
    p99Ms: histogram.percentile(99) / 1e6,
  };
}
