import type { Cluster, Redis } from 'ioredis';
import { runClosedLoop } from './run-closed-loop.js';
import { SCALE_CONCURRENCY } from './scale-target.js';
import { BENCH_TTL_MS, benchSession } from './session-fixture.js';

/**
 * Fills a Redis to `size` sessions as the ceiling keeps them (connect-redis's layout: one string
 * key holding the session's JSON, `SET PX`), 32 in flight as the scale fill: what one plain
 * command per session costs Redis at the same sizes, its slowest `SET` included.
 */
export async function fillCeiling(client: Redis | Cluster, size: number, tag: string): Promise<void> {
  await runClosedLoop(
    async (i) => {
      const now = Date.now();
      const id = `${tag}-${i}`;
      await client.set(`ceiling:${id}`, JSON.stringify(benchSession(id, now, 1, id)), 'PX', BENCH_TTL_MS);
    },
    size,
    SCALE_CONCURRENCY,
  );
}
