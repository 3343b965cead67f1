import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadConfig, runServer, type RunningServer } from '../../server/index.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { timedAlongsideTicks } from '../support/timer-slowdown.js';
import { waitUntil } from '../support/wait-until.js';

// The whole service as `npm start` composes it (config → container → listener) over a Redis
// that goes away and comes back while it runs.
describe('the service on Redis when Redis stops and restarts', () => {
  let redis: RedisServer;
  let running: RunningServer;
  let base: string;
  beforeAll(async () => {
    redis = await startRedisServer();
    running = await runServer(
      loadConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '500' }),
      createLogger('silent'),
    );
    base = `http://127.0.0.1:${running.port}`;
    await waitUntil(async () => {
      if ((await fetch(`${base}/ready`)).status !== 200) throw new Error('not ready');
    });
  });
  afterAll(async () => {
    await running?.close();
    await redis?.stop();
  });

  const post = () => fetch(`${base}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userId":"outage"}' });

  it('answers 503 with Retry-After within the timeout while Redis is down, then recovers by itself', async () => {
    const created = await post();
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    await redis.halt();
    for (const request of [() => post(), () => fetch(`${base}/sessions/${id}`), () => fetch(`${base}/sessions/user/outage`), () => fetch(`${base}/ready`)]) {
      const { outcome, elapsedMs, slowdown } = await timedAlongsideTicks(request);
      if (outcome.status === 'rejected') throw outcome.reason;
      const response = outcome.value;
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      // The command timeout is 500 ms; a request must never wait much longer than that (on a
      // loaded machine, longer by as much as its timers are late).
      expect(elapsedMs).toBeLessThan(1_500 * slowdown);
    }
    expect((await fetch(`${base}/health`)).status).toBe(200);

    await redis.restart();
    // Persistence is off, so the restarted Redis is empty: the service must serve again, not remember.
    await waitUntil(async () => {
      if ((await fetch(`${base}/ready`)).status !== 200) throw new Error('not ready yet');
    }, 10_000);
    expect((await post()).status).toBe(201);
  });

  it('answers 503 within the timeout while Redis is frozen (SIGSTOP), then serves again', async () => {
    const created = await post();
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    redis.signal('SIGSTOP');
    try {
      const { outcome, elapsedMs, slowdown } = await timedAlongsideTicks(() => fetch(`${base}/sessions/${id}`));
      if (outcome.status === 'rejected') throw outcome.reason;
      expect(outcome.value.status).toBe(503);
      expect(elapsedMs).toBeLessThan(1_500 * slowdown);
    } finally {
      redis.signal('SIGCONT');
    }
    const after = await waitUntil(async () => {
      const response = await fetch(`${base}/sessions/${id}`);
      if (response.status !== 200) throw new Error(`status ${response.status}`);
      return response;
    });
    expect(((await after.json()) as { id: string }).id).toBe(id);
  });
});
