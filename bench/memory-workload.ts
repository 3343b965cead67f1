import type { BenchOptions } from './bench-options.js';
import { measureStores } from './measure-stores.js';
import { memoryContenders } from './memory-contenders.js';
import type { ResultRow } from './result-row.js';

/** Operations per store operation when `--ops` is not given. */
export const MEMORY_DEFAULT_OPS = 50_000;

/** Store level, in process: our memory store, memorystore, express-session's MemoryStore. */
export async function runMemoryWorkload(options: BenchOptions, progress: (line: string) => void): Promise<ResultRow[]> {
  const contenders = memoryContenders();
  try {
    return await measureStores(contenders, {
      part: 'memory',
      ops: options.ops ?? MEMORY_DEFAULT_OPS,
      concurrencies: options.concurrencies,
      rounds: options.rounds,
      progress,
    });
  } finally {
    for (const contender of contenders) await contender.close();
  }
}
