import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startServiceProcess, untilStoreReady, type ServiceProcess } from '../support/service-process.js';

const WRITERS = 400;

/**
 * Hardening item 10: merges without If-Match racing on one session through two service
 * processes. They lose races to each other constantly; that must cost time, never a 412 the
 * client did not ask for, and never a lost merge. Runs the built bin (`npm run build` first).
 */
describe(`${WRITERS} concurrent PATCHes without If-Match on one session, through two service processes on Redis`, () => {
  let redis: RedisServer;
  let services: ServiceProcess[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { SESSION_STORE: 'redis', REDIS_URL: redis.url, LOG_LEVEL: 'warn' };
    services = await Promise.all([startServiceProcess(env), startServiceProcess(env)]);
    await Promise.all(services.map((service) => untilStoreReady(service)));
  });
  afterAll(async () => {
    await Promise.all(services.map((service) => service.kill()));
    await redis?.stop();
  });

  it('all answer 200 and every patched key is there at the end', async () => {
    const [a, b] = services as [ServiceProcess, ServiceProcess];
    const created = await fetch(`${a.url}/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'merger', data: { start: true } }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const answers = await Promise.all(
      Array.from({ length: WRITERS }, async (_, i) => {
        const response = await fetch(`${(i % 2 === 0 ? a : b).url}/sessions/${id}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ data: { [`k${i}`]: i } }),
        });
        return { status: response.status, body: await response.text() };
      }),
    );
    const refused = answers.filter((answer) => answer.status !== 200);
    expect(refused.length, `${refused.length} not 200, e.g. ${JSON.stringify(refused.slice(0, 3))}`).toBe(0);

    const final = (await (await fetch(`${b.url}/sessions/${id}`)).json()) as { version: number; data: Record<string, unknown> };
    const missing = Array.from({ length: WRITERS }, (_, i) => `k${i}`).filter((key) => !(key in final.data));
    expect(missing, 'merges lost').toEqual([]);
    expect(final.data['start']).toBe(true);
    expect(final.version).toBe(WRITERS + 1);
  });
});
