import type { BenchOptions } from './bench-options.js';
import { redisContenders } from './redis-contenders.js';
import { measureRedisCosts } from './redis-costs.js';
import { REDIS_DEFAULT_OPS } from './redis-workload.js';
import type { ResultRow } from './result-row.js';

/**
 * Redis's side of every operation, for our store, the raw one-command ceiling (connect-redis's
 * layout: one string of JSON, `SET PX` / `GET` / `PEXPIRE` / `DEL`) and connect-redis itself, at
 * the highest store-level concurrency.
 */
export async function runCostsWorkload(options: BenchOptions, url: string, progress: (line: string) => void): Promise<ResultRow[]> {
  const contenders = await redisContenders(url);
  try {
    return await measureRedisCosts(contenders, {
      url,
      ops: options.ops ?? REDIS_DEFAULT_OPS,
      concurrency: Math.max(...options.concurrencies),
      rounds: options.rounds,
      progress,
    });
  } finally {
    for (const contender of contenders) await contender.close();
  }
}
