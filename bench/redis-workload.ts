import type { BenchOptions } from './bench-options.js';
import { measureStores } from './measure-stores.js';
import { redisContenders } from './redis-contenders.js';
import type { ResultRow } from './result-row.js';

/** Operations per store operation when `--ops` is not given. */
export const REDIS_DEFAULT_OPS = 10_000;

/** Store level over the benchmark's own redis-server. */
export async function runRedisWorkload(options: BenchOptions, url: string, progress: (line: string) => void): Promise<ResultRow[]> {
  const contenders = await redisContenders(url);
  try {
    return await measureStores(contenders, {
      part: 'redis',
      ops: options.ops ?? REDIS_DEFAULT_OPS,
      concurrencies: options.concurrencies,
      rounds: options.rounds,
      progress,
    });
  } finally {
    for (const contender of contenders) await contender.close();
  }
}
