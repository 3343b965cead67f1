import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_MAX_BYTES_DEFAULT } from '../../core/index.js';
import { createLogger, loadConfig, runServer, type RunningServer } from '../../server/index.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { waitUntil } from '../support/wait-until.js';

// Listings of large sessions over the service as `npm start` composes it on Redis, with the
// default 1 s command timeout. Four listings with limit=1000 of 500 sessions of 60 KiB each
// (about 29 MB a listing) used to read everything in one page: Redis and the service were busy
// for seconds, and other requests (a small GET of someone else's session included) failed with
// 503 while Redis was up. Pages are now bounded to 4 MiB of data and go on by cursor.
const SESSIONS = 500;
const BLOB = 'x'.repeat(60 * 1024);
const LISTINGS = 4;

describe('the service on Redis while large listings run', () => {
  let redis: RedisServer;
  let running: RunningServer;
  let base: string;
  beforeAll(async () => {
    redis = await startRedisServer();
    running = await runServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_URL: redis.url }), createLogger('silent'));
    base = `http://127.0.0.1:${running.port}`;
    await waitUntil(async () => {
      if ((await fetch(`${base}/ready`)).status !== 200) throw new Error('not ready');
    });
  }, 60_000);
  afterAll(async () => {
    await running?.close(0);
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
    const ids: string[] = [];
    const pageBytes: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const response = await fetch(`${base}/sessions/user/big?limit=1000${query}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { sessions: { id: string; data: unknown }[]; nextCursor: string | null };
      ids.push(...page.sessions.map((session) => session.id));
      pageBytes.push(page.sessions.reduce((sum, session) => sum + Buffer.byteLength(JSON.stringify(session.data)), 0));
      cursor = page.nextCursor;
    } while (cursor !== null);
    return { ids, pageBytes };
  };

  it('keeps answering a small GET of another user within 1 s, and every listing reaches each session once', async () => {
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
    // A generous bound: the Redis command timeout alone is 1 s, past which the GET would be a 503.
    expect(gets.filter((get) => get.status !== 200 || get.ms >= 1000)).toEqual([]);
  }, 180_000);
});
