import type { ResultRow } from './result-row.js';
import { runClosedLoop, type Measurement } from './run-closed-loop.js';
import { STORE_OPERATIONS, type CycleOperations, type StoreContender } from './store-contender.js';

/** How a group of contenders is measured. */
export interface StoreMeasureOptions {
  readonly part: string;
  readonly ops: number;
  readonly concurrencies: readonly number[];
  readonly rounds: number;
  /** Told what is running, for a progress line. */
  readonly progress?: (line: string) => void;
}

/**
 * Measures every contender at every concurrency. In each round every contender gets fresh ids
 * and the contenders take turns phase by phase (all create, then all get, ...), in an order that
 * rotates between rounds, so a noisy moment on a shared machine hits them alike; per operation
 * the median round by throughput is kept. A short cycle at the highest concurrency warms each
 * contender up first (JIT, connections, table creation).
 */
export async function measureStores(contenders: readonly StoreContender[], options: StoreMeasureOptions): Promise<ResultRow[]> {
  const warmup = Math.min(options.ops, 2_000);
  await runRound(contenders, warmup, Math.max(...options.concurrencies), 0);

  const rows: ResultRow[] = [];
  for (const concurrency of options.concurrencies) {
    const rounds: Map<StoreContender, Measurement>[][] = [];
    for (let round = 0; round < options.rounds; round++) {
      options.progress?.(`${options.part}: c=${concurrency}, round ${round + 1}/${options.rounds}`);
      rounds.push(await runRound(contenders, options.ops, concurrency, round));
    }
    for (const contender of contenders) {
      STORE_OPERATIONS.forEach((operation, phase) => {
        const measured = median(rounds.map((round) => round[phase]?.get(contender) as Measurement));
        const note = contender.notes?.[operation];
        rows.push({ part: options.part, subject: contender.name, operation, concurrency, ...measured, ...(note === undefined ? {} : { note }) });
      });
    }
  }
  return rows;
}

/** One round: per phase (in {@link STORE_OPERATIONS} order), each contender's measurement. */
async function runRound(
  contenders: readonly StoreContender[],
  ops: number,
  concurrency: number,
  round: number,
): Promise<Map<StoreContender, Measurement>[]> {
  const cycles = await Promise.all(contenders.map((contender) => contender.cycle(ops)));
  const phases: Map<StoreContender, Measurement>[] = [];
  for (const operation of STORE_OPERATIONS) {
    const phase = new Map<StoreContender, Measurement>();
    for (let k = 0; k < contenders.length; k++) {
      const index = (k + round) % contenders.length;
      const cycle = cycles[index] as CycleOperations;
      phase.set(contenders[index] as StoreContender, await runClosedLoop(cycle[operation], ops, concurrency));
    }
    phases.push(phase);
  }
  return phases;
}

function median(measurements: readonly Measurement[]): Measurement {
  const sorted = [...measurements].sort((a, b) => a.opsPerSec - b.opsPerSec);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!middle) throw new Error('no measurement');
  return middle;
}
