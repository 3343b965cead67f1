import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../core/index.js';
import { RedisSessionStore } from '../../adapters/redis/index.js';
import { createRedisClient } from '../../adapters/redis/create-redis-client.js';
import { createExpressStore, type ExpressSessionStore } from '../../transports/express/index.js';
import { CookieClient } from '../support/cookie-client.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { waitUntil } from '../support/wait-until.js';
import { sidOf, startExpressTestApp, type ExpressTestApp } from './express-test-app.js';

/** connect-redis's "interrupted connection" check: a store that cannot answer says so through the callback. */
describe('express-session over a Redis that stops answering', () => {
  let server: RedisServer;
  let client: ReturnType<typeof createRedisClient>;
  let store: ExpressSessionStore;
  let app: ExpressTestApp;
  beforeAll(async () => {
    server = await startRedisServer({ appendOnly: true }); // so the session outlives the halt
    client = createRedisClient({ url: server.url });
    const sessions = new RedisSessionStore(client);
    await waitUntil(() => sessions.ping());
    store = createExpressStore({ store: sessions });
    app = await startExpressTestApp(store);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    client?.disconnect();
    await server?.stop();
  });

  it('set and get fail with StoreUnavailableError naming no sid; the app answers 500; all is well once Redis is back', async () => {
    const sid = randomBytes(24).toString('base64url');
    const browser = new CookieClient(app.baseUrl);
    await browser.request('POST', '/cart/sku-1');
    await server.halt();
    const failed = await new Promise<unknown>((resolve) => store.set(sid, { a: 1 } as never, resolve));
    expect(failed).toBeInstanceOf(StoreUnavailableError);
    expect(String(failed)).not.toContain(sid);
    expect(await new Promise<unknown>((resolve) => store.get(sid, resolve))).toBeInstanceOf(StoreUnavailableError);
    const answer = await browser.request('GET', '/me');
    expect(answer.status).toBe(500);
    expect(String(answer.body)).toContain('StoreUnavailableError');
    expect(String(answer.body)).not.toContain(sidOf(browser.cookie('connect.sid'))!);
    await server.restart();
    await waitUntil(async () => {
      const again = await browser.request('GET', '/me');
      if (again.status !== 200) throw new Error(`still ${again.status}`);
    });
    expect((await browser.request('GET', '/me')).body).toMatchObject({ cart: ['sku-1'] });
  }, 60_000);
});
