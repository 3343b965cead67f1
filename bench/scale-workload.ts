import type { Cluster, Redis } from 'ioredis';
import { createRedisClient } from '../adapters/redis/create-redis-client.js';
import type { SessionStore } from '../core/index.js';
import type { BenchOptions } from './bench-options.js';
import { RedisCounterReader } from './redis-counters.js';
import { startRedisProcess, type RedisProcess } from './redis-process.js';
import type { ResultRow } from './result-row.js';
import type { Measurement } from './run-closed-loop.js';
import { fillCeiling } from './scale-ceiling.js';
import { logOutEverywhere } from './scale-logout.js';
import { timeFirstPage, walkExpiredBacklog } from './scale-listing.js';
import { scaleSizes } from './scale-sizes.js';
import { describeSlowest, describeSlowestCommand, SlowScriptWatch } from './slow-scripts.js';
import { eventLoopProbe, redisPingProbe, type LatencyProbe } from './latency-probe.js';
import { bareMapHolder, fillTarget, measureCreates, measureGets, SCALE_CONCURRENCY, storeHolder, type ScaleHolder, type ScaleMeasurement, type ScaleTarget } from './scale-target.js';
import { BENCH_TTL_MS } from './session-fixture.js';
import { SUBJECTS } from './subjects.js';

/** Operations per measurement when `--ops` is not given. */
const SCALE_DEFAULT_OPS = 10_000;
/** The listing figures of issue 13: a page of 1,000 with 100,000 stored, the same backlog expired. */
const PAGE_LIMIT = 1_000;
const LISTING_SESSIONS = 100_000;
const LOGOUT_SESSIONS = 50_000;
/** A backlog walk stops here: a store that never ends its listing is reported, not waited for. */
const MAX_BACKLOG_PAGES = 10_000;

/** The stores the scale part fills, made fresh per size; one left out is not measured (the bare Map always is). */
export interface ScaleStores {
  readonly memory?: (() => SessionStore) | undefined;
  readonly redis?: ((client: Redis | Cluster) => SessionStore) | undefined;
}

/** One subject of the scale part, at every size at once. */
interface ScaleSubject {
  readonly name: string;
  readonly targets: ScaleTarget[];
  /** The Redis of each size (bytes per session, page server time). */
  readonly readers: (RedisCounterReader | undefined)[];
  /** The slowest script of each size's Redis, phase by phase. */
  readonly watches: (SlowScriptWatch | undefined)[];
  readonly store?: (size: number) => SessionStore | undefined;
}

/**
 * Scale (issue 13 point 8): the memory store, the Redis store (one redis-server per size) and a
 * bare Map filled to every size at once, then measured in rounds that rotate over the sizes, so
 * a noisy moment hits all sizes alike: get and create at 32 in flight. Then a page of 1,000 with
 * 100,000 stored (Redis server time), a walk through 100,000 expired sessions with another
 * client's PING latency, and log out everywhere of 50,000 sessions of one user through the HTTP
 * service. Each part says how long it took.
 */
export async function runScaleWorkload(options: BenchOptions, stores: ScaleStores, progress: (line: string) => void): Promise<ResultRow[]> {
  const sizes = scaleSizes(options.scaleMax);
  const ops = options.ops ?? SCALE_DEFAULT_OPS;
  const listingSize = Math.min(LISTING_SESSIONS, options.scaleMax);
  const logoutSize = Math.min(LOGOUT_SESSIONS, Math.max(1, Math.floor(options.scaleMax / 2)));
  const redises: RedisProcess[] = [];
  const clients: (Redis | Cluster)[] = [];
  const readers: RedisCounterReader[] = [];
  const probes: { close(): Promise<void> }[] = [];
  const openRedisServer = async (): Promise<{ client: Redis | Cluster; reader: RedisCounterReader; watch: SlowScriptWatch; url: string }> => {
    const redis = await startRedisProcess();
    redises.push(redis);
    const client = createRedisClient({ url: redis.url });
    clients.push(client);
    if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
    const reader = new RedisCounterReader(redis.url);
    readers.push(reader);
    const watch = new SlowScriptWatch(reader);
    await watch.start();
    return { client, reader, watch, url: redis.url };
  };
  const openRedis = async (): Promise<{ store: SessionStore; reader: RedisCounterReader; watch: SlowScriptWatch; url: string }> => {
    if (!stores.redis) throw new Error('no Redis store');
    const { client, reader, watch, url } = await openRedisServer();
    return { store: stores.redis(client), reader, watch, url };
  };
  const timed = async <T>(what: string, work: () => Promise<T>): Promise<{ value: T; seconds: number }> => {
    const started = performance.now();
    const value = await work();
    const seconds = (performance.now() - started) / 1000;
    progress(`scale: ${what} took ${seconds.toFixed(1)} s`);
    return { value, seconds };
  };
  const rows: ResultRow[] = [];
  // Issue 13: no script runs longer than 1 ms, with every size stored, in every phase.
  const slowestScript = async (watch: SlowScriptWatch | undefined, phase: string): Promise<void> => {
    if (!watch) return;
    const slowest = await watch.take();
    rows.push({ part: 'scale', subject: SUBJECTS.scaleRedis, operation: `slowest script: ${phase}`, p99Ms: slowest.micros / 1000, note: describeSlowest(slowest) });
  };
  try {
    // Every size of every subject, filled and held at once.
    const subjects: ScaleSubject[] = [];
    type Open = () => Promise<{ holder: ScaleHolder; reader: RedisCounterReader | undefined; watch?: SlowScriptWatch }>;
    const filled: [string, Open][] = [[SUBJECTS.scaleMap, async () => ({ holder: bareMapHolder(), reader: undefined })]];
    const memory = stores.memory;
    if (memory) filled.unshift([SUBJECTS.scaleMemory, async () => ({ holder: storeHolder(memory()), reader: undefined })]);
    if (stores.redis) {
      filled.push([
        SUBJECTS.scaleRedis,
        async () => {
          const { store, reader, watch } = await openRedis();
          return { holder: storeHolder(store), reader, watch };
        },
      ]);
    }
    for (const [name, open] of filled) {
      const subject: ScaleSubject = { name, targets: [], readers: [], watches: [] };
      for (const size of sizes) {
        const { holder, reader, watch } = await open();
        const before = await reader?.read();
        const heapBefore = process.memoryUsage().heapUsed;
        const { value, seconds } = await timed(`filling ${name} to ${size.toLocaleString('en-US')}`, () => fillTarget(holder, size, `scale-${size}`));
        const after = await reader?.read();
        subject.targets.push(value);
        subject.readers.push(reader);
        subject.watches.push(watch);
        const bytes = before && after ? (after.usedMemory - before.usedMemory) / size : undefined;
        rows.push({
          part: 'scale',
          subject: name,
          operation: `fill ${size.toLocaleString('en-US')}`,
          concurrency: SCALE_CONCURRENCY,
          ...(bytes === undefined ? {} : { bytesPerSession: bytes }),
          note: `took ${seconds.toFixed(1)} s (handles made, then created)${bytes === undefined ? `; heap +${Math.round((process.memoryUsage().heapUsed - heapBefore) / size)} B/session (no forced GC)` : ' (Redis used_memory)'}`,
        });
        await slowestScript(watch, `fill ${size.toLocaleString('en-US')}`);
      }
      subjects.push(subject);
    }
    if (stores.redis) {
      // The same fill in the ceiling's layout, one SET PX a session: Redis's own slowest command
      // there (its keyspace growing, the machine) is the floor under the slowest script's figure.
      const largest = sizes[sizes.length - 1] as number;
      const { client, watch } = await openRedisServer();
      await timed(`filling the ceiling to ${largest.toLocaleString('en-US')}`, () => fillCeiling(client, largest, 'ceiling'));
      const slowest = await watch.take();
      rows.push({
        part: 'scale',
        subject: SUBJECTS.redisRaw,
        operation: `slowest command: fill ${largest.toLocaleString('en-US')}`,
        p99Ms: (slowest.slowestCommand?.micros ?? 0) / 1000,
        note: describeSlowestCommand(slowest),
      });
    }

    // Rounds over the sizes, the order rotating; the median round by throughput is kept.
    await timed('get and create at every size', async () => {
      const measured = new Map<string, ScaleMeasurement[]>();
      const keep = (key: string, m: ScaleMeasurement): void => void (measured.get(key) ?? measured.set(key, []).get(key))?.push(m);
      for (let round = 0; round < options.rounds; round++) {
        progress(`scale: get and create, round ${round + 1}/${options.rounds}`);
        for (const subject of subjects) {
          for (let k = 0; k < sizes.length; k++) {
            const target = subject.targets[(k + round) % sizes.length] as ScaleTarget;
            keep(`${subject.name} get ${target.size}`, await measureGets(target, ops));
            keep(`${subject.name} create ${target.size}`, await measureCreates(target, ops, `scale-new-${round}-${target.size}`));
          }
        }
      }
      for (const subject of subjects) {
        for (const operation of ['get', 'create'] as const) {
          for (const size of sizes) {
            const rounds = measured.get(`${subject.name} ${operation} ${size}`) ?? [];
            const { opsPerSec, p50Ms, p99Ms } = median(rounds);
            // CPU per operation is the median over the rounds of its own, not the median round's.
            const cpu = [...rounds.map((m) => m.cpuUsPerOp)].sort((a, b) => a - b)[Math.floor((rounds.length - 1) / 2)];
            rows.push({
              part: 'scale',
              subject: subject.name,
              operation: `${operation} at ${size.toLocaleString('en-US')}`,
              concurrency: SCALE_CONCURRENCY,
              opsPerSec,
              p50Ms,
              p99Ms,
              cpuUsPerRequest: cpu,
            });
          }
        }
      }
      for (const subject of subjects) {
        for (const [k, size] of sizes.entries()) await slowestScript(subject.watches[k], `get and create at ${size.toLocaleString('en-US')}`);
      }
    });

    // A page of 1,000 with 100,000 stored (or the largest size under it), on the stores filled above.
    const listingIndex = sizes.filter((size) => size <= listingSize).length - 1;
    if (listingIndex >= 0) {
      await timed(`first page of ${PAGE_LIMIT} with ${(sizes[listingIndex] as number).toLocaleString('en-US')} stored`, async () => {
        for (const subject of subjects.filter((s) => s.name !== SUBJECTS.scaleMap)) {
          const store = subject.targets[listingIndex]?.holder as SessionStore;
          const costs = [];
          for (let round = 0; round < options.rounds; round++) costs.push(await timeFirstPage(store, PAGE_LIMIT, Date.now(), subject.readers[listingIndex]));
          costs.sort((a, b) => a.wallMs - b.wallMs);
          const kept = costs[Math.floor((costs.length - 1) / 2)];
          if (!kept) continue;
          rows.push({
            part: 'scale',
            subject: subject.name,
            operation: `list ${PAGE_LIMIT} of ${(sizes[listingIndex] as number).toLocaleString('en-US')} stored`,
            p50Ms: kept.wallMs,
            ...(kept.redisMs === undefined ? {} : { redisServerUs: kept.redisMs * 1000 }),
            note: `${kept.sessions} sessions on the page, ${kept.wallMs.toFixed(1)} ms wall${kept.redisMs === undefined ? '' : `, ${kept.redisMs.toFixed(2)} ms of Redis time`} (median of ${costs.length})`,
          });
          await slowestScript(subject.watches[listingIndex], `list ${PAGE_LIMIT} of ${(sizes[listingIndex] as number).toLocaleString('en-US')} stored`);
        }
      });
    }

    // The same number of sessions, every one expired: the memory store and a Redis of its own.
    type OpenBacklog = () => Promise<{ store: SessionStore; probe: LatencyProbe; watch?: SlowScriptWatch }>;
    const backlogs: [string, OpenBacklog][] = [];
    if (memory) backlogs.push([SUBJECTS.scaleMemory, async () => ({ store: memory(), probe: eventLoopProbe() })]);
    if (stores.redis) {
      backlogs.push([
        SUBJECTS.scaleRedis,
        async () => {
          const { store, url, watch } = await openRedis();
          const probe = await redisPingProbe(Number(new URL(url).port));
          probes.push(probe);
          return { store, probe, watch };
        },
      ]);
    }
    for (const [name, open] of backlogs) {
      const { store, probe, watch } = await open();
      await timed(`${name}: filling ${listingSize.toLocaleString('en-US')} to expire`, () => fillTarget(store, listingSize, 'backlog'));
      await watch?.start();
      // Past every deadline for the core, before Redis's native expiry (an hour away) fires.
      const later = Date.now() + 2 * BENCH_TTL_MS;
      const { value: walk, seconds } = await timed(`${name}: listing ${listingSize.toLocaleString('en-US')} expired`, () => walkExpiredBacklog(store, later, probe, MAX_BACKLOG_PAGES));
      rows.push({
        part: 'scale',
        subject: name,
        operation: `list with ${listingSize.toLocaleString('en-US')} expired`,
        p50Ms: walk.firstPageMs,
        p99Ms: walk.maxPingMs,
        note: `first page ${walk.firstPageMs.toFixed(1)} ms; ${walk.pages} pages to the end in ${walk.totalMs.toFixed(0)} ms${walk.finished ? '' : ' (stopped: no end)'}; slowest ${name === SUBJECTS.scaleRedis ? 'PING of another client' : 'event-loop turn'} ${walk.maxPingMs.toFixed(1)} ms of ${walk.pings} (idle just before: ${walk.idleMaxPingMs.toFixed(1)} ms); took ${seconds.toFixed(1)} s`,
      });
      await slowestScript(watch, `list with ${listingSize.toLocaleString('en-US')} expired`);
      const { value: logout, seconds: logoutSeconds } = await timed(`${name}: log out everywhere of ${logoutSize.toLocaleString('en-US')}`, () => logOutEverywhere(store, logoutSize));
      rows.push({
        part: 'scale',
        subject: name,
        operation: `log out everywhere, ${logoutSize.toLocaleString('en-US')} sessions of one user`,
        p50Ms: logout.ms,
        note: `HTTP ${logout.status}, deleted ${logout.deleted ?? '?'}, ${logout.ms.toFixed(0)} ms; with filling ${logoutSeconds.toFixed(1)} s`,
      });
      // The creates of the user's sessions are in this phase too: the log out alone is the row above.
      await slowestScript(watch, `log out everywhere of ${logoutSize.toLocaleString('en-US')} (and their creates)`);
    }
    return rows;
  } finally {
    for (const probe of probes) await probe.close().catch(() => {});
    for (const reader of readers) await reader.close().catch(() => {});
    for (const client of clients) await client.quit().catch(() => {});
    for (const redis of redises) await redis.stop();
  }
}

function median(measurements: readonly Measurement[]): Measurement {
  const sorted = [...measurements].sort((a, b) => a.opsPerSec - b.opsPerSec);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!middle) throw new Error('no measurement');
  return middle;
}
