import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_MAX_BYTES_DEFAULT } from '../../core/index.js';
import { allPages, pageQuery } from '../support/all-pages.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startServiceProcess, untilStoreReady, type ServiceProcess } from '../support/service-process.js';
import { waitUntil } from '../support/wait-until.js';

// Listings of large sessions over the built service (run `npm run build` first) on Redis, in a
// process of its own so that what this test does with the pages it receives never slows the
// service down. The command timeout is 5 s, not the default 1 s: on two cores loaded by busy
// loops a 4 MiB page read has taken over 1 s, and how fast the machine is must not decide the
// outcome. What the fix guarantees is asserted: no page holds more than 4 MiB of data, every
// listing reaches every session exactly once, and every GET of another user's session is
// answered. Its latency is printed, not asserted (measured, not asserted in timed tests). Four listings with limit=1000 of 500 sessions of 60 KiB each
// (about 29 MB a listing) used to read everything in one page: Redis and the service were busy
// for seconds, and other requests (a small GET of someone else's session included) failed with
// 503 while Redis was up. Pages are now bounded to 4 MiB of data and go on by cursor.
const SESSIONS = 500;
const BLOB = 'x'.repeat(60 * 1024);
const LISTINGS = 4;

describe('the service on Redis while large listings run', () => {
  let redis: RedisServer;
  let service: ServiceProcess;
  let base: string;
  beforeAll(async () => {
    redis = await startRedisServer();
    service = await startServiceProcess({ REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '5000', LOG_LEVEL: 'silent' });
    await untilStoreReady(service);
    base = service.url;
    await waitUntil(async () => {
      if ((await fetch(`${base}/ready`)).status !== 200) throw new Error('not ready');
    });
  }, 60_000);
  afterAll(async () => {
    await service?.kill();
    await redis?.stop();
  });

  const post = async (userId: string, data: Record<string, string>): Promise<string> => {
    const response = await fetch(`${base}/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, data }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };

  /** Every page of the big user's listing, limit=1000, following nextCursor. */
  const walk = async (): Promise<{ ids: string[]; pageBytes: number[] }> => {
    // Each page is cut down to its ids and data bytes as it comes: four listings of 29 MB are not held.
    const pages = await allPages(async (cursor) => {
      const response = await fetch(`${base}/sessions/user/big${pageQuery(1000, cursor)}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { sessions: { id: string; data: unknown }[]; nextCursor: string | null };
      const bytes = page.sessions.reduce((sum, session) => sum + Buffer.byteLength(JSON.stringify(session.data)), 0);
      return { ids: page.sessions.map((session) => session.id), bytes, nextCursor: page.nextCursor };
    });
    return { ids: pages.flatMap((page) => page.ids), pageBytes: pages.map((page) => page.bytes) };
  };

  it('bounds every page to 4 MiB, reaches each session once per listing, and keeps answering a small GET of another user', async () => {
    const small = await post('small', { theme: 'dark' });
    const big: string[] = [];
    for (let batch = 0; batch < SESSIONS; batch += 10) {
      big.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => post('big', { n: String(batch + i), blob: BLOB })))));
    }

    let listing = true;
    const gets: { status: number; ms: number }[] = [];
    const probe = (async () => {
      while (listing) {
        const started = performance.now();
        const response = await fetch(`${base}/sessions/${small}`);
        await response.arrayBuffer();
        gets.push({ status: response.status, ms: performance.now() - started });
      }
    })();
    const walks = await Promise.all(Array.from({ length: LISTINGS }, () => walk())).finally(() => {
      listing = false;
    });
    await probe;

    for (const { ids, pageBytes } of walks) {
      expect(ids.slice().sort()).toEqual(big.slice().sort());
      expect(pageBytes.length).toBeGreaterThan(1);
      for (const bytes of pageBytes) expect(bytes).toBeLessThanOrEqual(PAGE_MAX_BYTES_DEFAULT);
    }
    expect(gets.length).toBeGreaterThan(0);
    expect(gets.filter((get) => get.status !== 200)).toEqual([]);
    const times = gets.map((get) => get.ms).sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? Infinity;
    console.log(`${gets.length} GETs during ${LISTINGS} listings: median ${median.toFixed(0)} ms, max ${times.at(-1)?.toFixed(0)} ms`);
  }, 180_000);
});
