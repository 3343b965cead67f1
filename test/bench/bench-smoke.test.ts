import session from 'express-session';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseBenchOptions } from '../../bench/bench-options.js';
import { runCostsWorkload } from '../../bench/costs-workload.js';
import { expressSessionContender } from '../../bench/express-session-contender.js';
import { runExpressWorkload } from '../../bench/express-workload.js';
import { measureStores } from '../../bench/measure-stores.js';
import { rawRedisContender, readyClient } from '../../bench/redis-contenders.js';
import { measureRedisCosts } from '../../bench/redis-costs.js';
import { startRedisProcess, type RedisProcess } from '../../bench/redis-process.js';
import { renderResultsTable } from '../../bench/results-table.js';
import { measureRoundTrips } from '../../bench/round-trips.js';
import { runScaleWorkload } from '../../bench/scale-workload.js';
import { sessionStoreContender } from '../../bench/session-store-contender.js';
import { STORE_OPERATIONS } from '../../bench/store-contender.js';
import { SUBJECTS } from '../../bench/subjects.js';
import { checkTargets, renderTargets } from '../../bench/targets.js';
import { measureTouch } from '../../bench/touch-workload.js';
import { nodeSha256 } from '../../bench/node-sha256.js';
import { RedisCounterReader } from '../../bench/redis-counters.js';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { RedisSessionStore } from '../../adapters/redis/index.js';

// Proves the benchmark runs and reports, not how fast anything is: figures are never asserted.
// It drives the memory store through the port, with a redis-server of its own for the Redis parts.

let redis: RedisProcess;
beforeAll(async () => {
  redis = await startRedisProcess();
});
afterAll(async () => {
  await redis?.stop();
});

test('the store level measures a port-v2 store and a peer on every operation, and the targets compare them', async () => {
  const rows = await measureStores(
    [sessionStoreContender(SUBJECTS.memoryOurs, new MemorySessionStore()), expressSessionContender(SUBJECTS.memorystore, new session.MemoryStore())],
    { part: 'memory', ops: 200, concurrencies: [1, 4], rounds: 1 },
  );
  expect(rows).toHaveLength(2 * STORE_OPERATIONS.length * 2);
  for (const row of rows) expect(row.opsPerSec).toBeGreaterThan(0);
  expect(renderResultsTable(rows).split('\n')).toHaveLength(2 + rows.length);
  expect(checkTargets(rows, undefined).map((c) => c.target)).toContain('memory c=4: ours get / memorystore get ≥ 1.00×');
});

test('Redis costs read CPU, commandstats and memory per operation, and the cost targets are ratios to the raw ceiling', async () => {
  const client = await readyClient(redis.url);
  try {
    const raw = rawRedisContender(client, async () => {});
    // Our store's name on a second raw contender: the targets then compare the ceiling with itself.
    const twin = { ...rawRedisContender(client, async () => {}), name: SUBJECTS.redisOurs };
    const rows = await measureRedisCosts([raw, twin], { url: redis.url, ops: 300, concurrency: 4, rounds: 1 });
    expect(rows).toHaveLength(2 * STORE_OPERATIONS.length);
    const create = rows.find((r) => r.subject === SUBJECTS.redisRaw && r.operation === 'create');
    expect(create?.note).toBe('set 1');
    expect(create?.bytesPerSession).toBeGreaterThan(200);
    expect(rows.find((r) => r.subject === SUBJECTS.redisRaw && r.operation === 'refresh')?.note).toBe('pexpire 1');
    for (const row of rows) {
      expect(Number.isFinite(row.redisCpuUs)).toBe(true);
      expect(row.redisServerUs).toBeGreaterThan(0);
    }
    const targets = renderTargets(checkTargets(rows, undefined));
    expect(targets).toContain('redis cost: ours get Redis CPU/op / raw GET ≤ 1.20×');
    expect(targets).toContain('redis cost: ours bytes/session / raw SET PX string ≤ 1.50×');
  } finally {
    await client.quit();
  }
});

test('the costs part sets the floor of our layout (one script of the fewest commands) between the ceiling and our store', async () => {
  const rows = await runCostsWorkload(parseBenchOptions(['costs', '--ops', '200', '--rounds', '1', '--concurrency', '4'], {}), redis.url, () => {});
  const floor = (operation: string) => rows.find((r) => r.subject === SUBJECTS.redisFloor && r.operation === operation);
  expect(rows.filter((r) => r.subject === SUBJECTS.redisFloor).map((r) => r.operation)).toEqual([...STORE_OPERATIONS]);
  // Counted, not timed: the commands each floor operation runs inside its one script.
  expect(floor('create')?.note).toMatch(/^Redis CPU: floor \/ raw \d+\.\d\d×, ours \/ floor \d+\.\d\d×; /);
  expect(floor('create')?.note).toContain('zadd 2 (in script)');
  expect(floor('delete')?.note).toContain('zrem 2 (in script)');
  expect(floor('get')?.note).toMatch(/; get 1$/);
  expect(floor('create')?.bytesPerSession).toBeGreaterThan(200);
});

test('touch sets a throttled refresh beside get, round by round, and on Redis both send one GET', async () => {
  const lines: string[] = [];
  const memory = await measureTouch('memory store', new MemorySessionStore(), 200, 4, 3, (line) => lines.push(line));
  expect(memory.map((r) => r.operation)).toEqual(['get', 'throttled refresh']);
  expect(memory[1]?.note).toMatch(/^\d+\.\d\dx get, median of rounds \d+\.\d\d \d+\.\d\d \d+\.\d\d \(target ≥ 0\.9\); client CPU /);
  expect(lines).toHaveLength(1);
  const client = await readyClient(redis.url);
  const counters = new RedisCounterReader(redis.url);
  try {
    const store = new RedisSessionStore(client, { keyPrefix: 'smoke-touch:', sha256: nodeSha256 });
    const rows = await measureTouch('Redis store', store, 200, 4, 1, () => {}, counters);
    // The commands are counted, not timed: a throttled refresh is the very read a get is.
    expect(rows[0]?.note).toMatch(/\(get 1\)$/);
    expect(rows[1]?.note).toMatch(/\(get 1\)$/);
  } finally {
    await client.quit();
    await counters.close();
  }
});

test('the express pair runs our express store and connect-redis as express-session calls them, with per-round ratios and Redis costs', async () => {
  const rows = await runExpressWorkload(parseBenchOptions(['express', '--ops', '60', '--rounds', '2', '--concurrency', '1,4'], {}), redis.url, () => {});
  const ratios = rows.filter((r) => r.ratio !== undefined);
  // Three pairs (Redis, the floor of our layout against the same peer, memory), five operations, two concurrencies.
  expect(ratios).toHaveLength(3 * 5 * 2);
  const floorSubject = `${SUBJECTS.expressRedisFloor} / ${SUBJECTS.connectRedis}`;
  for (const row of ratios) expect(row.note).toMatch(row.subject === floorSubject ? /^ours \/ floor [\d.]+×; rounds: [\d.]+×, [\d.]+×$/ : /^rounds: [\d.]+×, [\d.]+×$/);
  // The floor runs the fewest commands of our layout: five for a new session, six for a destroy, no more.
  const floor = (operation: string) => rows.find((r) => r.subject === SUBJECTS.expressRedisFloor && r.operation === operation && r.concurrency === 4);
  expect(floor('set (new)')?.note).toMatch(/set 2 \(in script\)/);
  expect(floor('set (new)')?.note).toMatch(/zadd 2 \(in script\)/);
  expect(floor('destroy')?.note).toMatch(/zrem 2 \(in script\)/);
  expect(floor('get')?.note).toBe('get 1');
  // Nothing of the floor's is left behind in Redis: its destroy removed the session, its alias and both index entries.
  const client = await readyClient(redis.url);
  try {
    expect(await client.keys('bench-express-floor:*')).toEqual([]);
  } finally {
    await client.quit();
  }
  // The floor is no contender of ours: it sets no target.
  expect(renderTargets(checkTargets(rows, undefined))).not.toContain(SUBJECTS.expressRedisFloor);
  const ours = (operation: string) => rows.find((r) => r.subject === SUBJECTS.expressRedisOurs && r.operation === operation && r.concurrency === 4);
  expect(ours('set (new)')?.bytesPerSession).toBeGreaterThan(200);
  expect(ours('get')?.redisServerUs).toBeGreaterThan(0);
  expect(rows.find((r) => r.subject === SUBJECTS.connectRedis && r.operation === 'destroy')?.note).toBe('del 1');
  expect(renderTargets(checkTargets(rows, undefined))).toContain(`express c=4: ${SUBJECTS.expressRedisOurs} / ${SUBJECTS.connectRedis}, touch ≥ 1.00×`);
});

test('scale over Redis reports each phase\'s slowest script and the ceiling\'s own fill beside it', async () => {
  const options = parseBenchOptions(['scale', '--max', '400', '--ops', '50', '--rounds', '1'], {});
  const rows = await runScaleWorkload(options, { redis: (client) => new RedisSessionStore(client, { sha256: nodeSha256 }) }, () => {});
  const scripts = rows.filter((r) => r.subject === SUBJECTS.scaleRedis && r.operation.startsWith('slowest script: ')).map((r) => r.operation);
  expect(scripts).toEqual(expect.arrayContaining(['slowest script: fill 40', 'slowest script: fill 400', 'slowest script: get and create at 400']));
  const ceiling = rows.find((r) => r.subject === SUBJECTS.redisRaw && r.operation === 'slowest command: fill 400');
  expect(ceiling?.note).toMatch(/^(slowest \w+ \d+ µs; \d+ commands over 1 ms|no command over 200 µs)/);
  const check = checkTargets(rows, undefined).find((c) => c.target === 'scale: no Redis script over 1 ms, in any phase');
  expect(check?.measured).toContain("the ceiling's own fill 400 (one SET PX a session): ");
});

test('round trips are counted per HTTP operation through the service and the HTTP app', async () => {
  const rows = await measureRoundTrips(new MemorySessionStore(), 'service + memory store');
  const trips = (operation: string): number | undefined => rows.find((r) => r.operation === operation)?.roundTrips;
  expect(trips('POST /sessions')).toBe(1);
  expect(trips('GET /sessions/{id}')).toBe(1);
  expect(trips('PUT /sessions/{id}')).toBe(1);
  expect(trips('PATCH /sessions/{id}')).toBe(2);
  expect(trips('DELETE /sessions/{id}')).toBe(1);
  expect(trips('DELETE /sessions/user/{userId}')).toBe(1);
  const checks = checkTargets(rows, undefined).filter((c) => c.target.startsWith('round trips'));
  expect(checks).toHaveLength(rows.length);
});

test('scale fills every size at once, measures get and create, a listing, an expired backlog and log out everywhere', async () => {
  const options = parseBenchOptions(['scale', '--max', '400', '--ops', '50', '--rounds', '1'], {});
  expect(options.scaleMax).toBe(400);
  const lines: string[] = [];
  const rows = await runScaleWorkload(options, { memory: () => new MemorySessionStore() }, (line) => lines.push(line));
  const operations = rows.map((r) => `${r.subject}: ${r.operation}`);
  for (const expected of ['fill 40', 'fill 400', 'get at 40', 'get at 400', 'create at 400', 'list 1000 of 400 stored', 'list with 400 expired']) {
    expect(operations).toContain(`${SUBJECTS.scaleMemory}: ${expected}`);
  }
  expect(operations).toContain(`${SUBJECTS.scaleMap}: get at 400`);
  expect(rows.find((r) => r.operation.startsWith('log out everywhere'))?.note).toMatch(/^HTTP 200, deleted 200,/);
  expect(lines.some((line) => /took \d+\.\d s$/.test(line))).toBe(true);
  const targets = checkTargets(rows, undefined).map((c) => c.target);
  expect(targets).toContain('scale 400 / 40: memory create ≥ 0.80×');
  expect(targets).toContain('scale 400 / 40: memory create, CPU per op (smaller / larger) ≥ 0.80×');
  expect(rows.find((r) => r.operation === 'create at 400')?.cpuUsPerRequest).toBeGreaterThan(0);
});

test('the command line takes workloads and settings, and refuses what it does not know', () => {
  const options = parseBenchOptions(['--ops=500', '--concurrency', '2,8'], { BENCH_ROUNDS: '5' });
  expect(options.workloads).toEqual(['memory', 'redis', 'costs', 'dynamodb', 'touch', 'express', 'http', 'trips', 'heap', 'scale']);
  expect(options).toMatchObject({ ops: 500, concurrencies: [2, 8], rounds: 5, connections: 50, scaleMax: 1_000_000, writeResults: true });
  expect(parseBenchOptions(['scale', '--max', '100000'], {})).toMatchObject({ workloads: ['scale'], scaleMax: 100_000, writeResults: false });
  expect(() => parseBenchOptions(['disk'], {})).toThrow(/unknown workload/);
  expect(() => parseBenchOptions(['--ops', 'many'], {})).toThrow(/whole number/);
  expect(() => parseBenchOptions(['--speed', '1'], {})).toThrow(/unknown option/);
});
