import RedisStore from 'connect-redis';
import session from 'express-session';
import createMemoryStore from 'memorystore';
import { MemorySessionStore } from '../adapters/memory/index.js';
import { RedisSessionStore } from '../adapters/redis/index.js';
import { createExpressStore } from '../transports/express/index.js';
import type { BenchOptions } from './bench-options.js';
import { ExpressFloorStore } from './express-floor-store.js';
import { EXPRESS_OPERATION_NAMES, expressStoreContender } from './express-store-contender.js';
import { measurePair } from './measure-pair.js';
import { nodeSha256 } from './node-sha256.js';
import { readyClient } from './redis-contenders.js';
import { RedisCounterReader } from './redis-counters.js';
import type { ResultRow } from './result-row.js';
import { SUBJECTS } from './subjects.js';

/** Sessions per operation and round when `--ops` is not given: Redis pair, memory pair. */
export const EXPRESS_REDIS_DEFAULT_OPS = 5_000;
export const EXPRESS_MEMORY_DEFAULT_OPS = 10_000;

/**
 * Issue 16 item 4: our express-session store against the stores express apps use, through
 * express-session's Store interface, same session objects, same cookie (its `expires` sets the
 * lifetime of both). Over Redis: ours over `RedisSessionStore` against connect-redis 7, each on a
 * client of its own made by the service's factory, on the same redis-server; then the floor of our
 * layout (ExpressFloorStore: the fewest commands our keys need, nothing else) against connect-redis
 * again, so the rows say how much of the gap is the layout's. In process: ours over
 * `MemorySessionStore` against memorystore. Both of ours hash sids with Node's synchronous SHA-256,
 * as the server wires it.
 */
export async function runExpressWorkload(options: BenchOptions, url: string, progress: (line: string) => void): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const measure = { concurrencies: options.concurrencies, rounds: options.rounds, operationNames: EXPRESS_OPERATION_NAMES, progress };

  const [oursClient, peerClient, floorClient] = await Promise.all([readyClient(url), readyClient(url), readyClient(url)]);
  const counters = new RedisCounterReader(url);
  try {
    const ours = createExpressStore({ store: new RedisSessionStore(oursClient, { keyPrefix: 'bench-express:', sha256: nodeSha256 }), sha256: nodeSha256 });
    const peer = new RedisStore({ client: peerClient, prefix: 'bench-connect:' });
    rows.push(
      ...(await measurePair(expressStoreContender(SUBJECTS.expressRedisOurs, ours), expressStoreContender(SUBJECTS.connectRedis, peer), {
        ...measure,
        part: 'express',
        ops: options.ops ?? EXPRESS_REDIS_DEFAULT_OPS,
        redis: counters,
      })),
    );
    rows.push(
      ...(await measurePair(expressStoreContender(SUBJECTS.expressRedisFloor, new ExpressFloorStore(floorClient)), expressStoreContender(SUBJECTS.connectRedis, peer), {
        ...measure,
        part: 'express',
        ops: options.ops ?? EXPRESS_REDIS_DEFAULT_OPS,
        redis: counters,
      }))
        .filter((row) => row.subject !== SUBJECTS.connectRedis) // its rows are in the pair above
        .map((row) => withOursOverFloor(row, rows)),
    );
  } finally {
    await Promise.all([oursClient.quit(), peerClient.quit(), floorClient.quit(), counters.close()]);
  }

  const MemoryStore = createMemoryStore(session);
  // Pruned daily, as its README sets it up; the timer never fires within a run.
  const memorystore = new MemoryStore({ checkPeriod: 86_400_000 });
  try {
    const ours = createExpressStore({ store: new MemorySessionStore(), sha256: nodeSha256 });
    rows.push(
      ...(await measurePair(expressStoreContender(SUBJECTS.expressMemoryOurs, ours), expressStoreContender(SUBJECTS.memorystore, memorystore), {
        ...measure,
        part: 'express',
        ops: options.ops ?? EXPRESS_MEMORY_DEFAULT_OPS,
      })),
    );
  } finally {
    memorystore.stopInterval();
  }
  return rows;
}

/** A floor / connect-redis ratio row with ours over the floor in its note: the two pairs' median ratios, divided. */
function withOursOverFloor(row: ResultRow, rows: readonly ResultRow[]): ResultRow {
  if (row.ratio === undefined) return row;
  const ours = rows.find((r) => r.subject === `${SUBJECTS.expressRedisOurs} / ${SUBJECTS.connectRedis}` && r.operation === row.operation && r.concurrency === row.concurrency);
  if (ours?.ratio === undefined) return row;
  return { ...row, note: `ours / floor ${(ours.ratio / row.ratio).toFixed(2)}×; ${row.note ?? ''}` };
}
