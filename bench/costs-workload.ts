import type { BenchOptions } from './bench-options.js';
import { readyClient, redisContenders } from './redis-contenders.js';
import { measureRedisCosts } from './redis-costs.js';
import { redisFloorContender } from './redis-floor-contender.js';
import { REDIS_DEFAULT_OPS } from './redis-workload.js';
import type { ResultRow } from './result-row.js';
import { SUBJECTS } from './subjects.js';

/**
 * Redis's side of every operation, for our store, the raw one-command ceiling (connect-redis's
 * layout: one string of JSON, `SET PX` / `GET` / `PEXPIRE` / `DEL`), connect-redis itself, and
 * the floor of our layout (the fewest commands it needs, one script each), at the highest
 * store-level concurrency. The floor's rows say where it stands between the two.
 */
export async function runCostsWorkload(options: BenchOptions, url: string, progress: (line: string) => void): Promise<ResultRow[]> {
  const contenders = await redisContenders(url);
  try {
    const floorClient = await readyClient(url);
    contenders.push(redisFloorContender(floorClient, async () => void (await floorClient.quit())));
    const rows = await measureRedisCosts(contenders, {
      url,
      ops: options.ops ?? REDIS_DEFAULT_OPS,
      concurrency: Math.max(...options.concurrencies),
      rounds: options.rounds,
      progress,
    });
    return rows.map((row) => (row.subject === SUBJECTS.redisFloor ? withFloorRatios(row, rows) : row));
  } finally {
    for (const contender of contenders) await contender.close();
  }
}

/** The floor's row with its Redis CPU against the ceiling's and ours against it, in its note. */
function withFloorRatios(floor: ResultRow, rows: readonly ResultRow[]): ResultRow {
  const cpu = (subject: string) => rows.find((r) => r.subject === subject && r.operation === floor.operation)?.redisCpuUs;
  const [raw, ours] = [cpu(SUBJECTS.redisRaw), cpu(SUBJECTS.redisOurs)];
  if (floor.redisCpuUs === undefined || raw === undefined || ours === undefined) return floor;
  const ratios = `Redis CPU: floor / raw ${(floor.redisCpuUs / raw).toFixed(2)}×, ours / floor ${(ours / floor.redisCpuUs).toFixed(2)}×`;
  return { ...floor, note: floor.note === undefined ? ratios : `${ratios}; ${floor.note}` };
}
