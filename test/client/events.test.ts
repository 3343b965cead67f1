import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { createSessionClient, isSessionApiError, type ApiEvent } from '../../client/index.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

const TOKEN = 'client-events-token-0123456789';

describe('the client\u2019s events calls, against the service over a real port', () => {
  let api: TestServer;
  let off: TestServer;
  beforeAll(async () => {
    api = await startTestServer(new MemorySessionStore({ events: true }), { app: { apiTokens: [TOKEN] } });
    off = await startTestServer(new MemorySessionStore());
  });
  afterAll(async () => {
    await api.close();
    await off.close();
  });

  it('readEvents pages through the log, and a long poll longer than timeoutMs is not cut short', async () => {
    const client = createSessionClient({ baseUrl: api.url, apiToken: TOKEN, timeoutMs: 1_000, retries: 0 });
    const a = await client.create({ userId: 'client-a' });
    const b = await client.create({ userId: 'client-b' });
    const first = await client.readEvents({ limit: 1 });
    const second = await client.readEvents({ after: first.cursor, limit: 5 });
    expect([...first.events, ...second.events].map((event) => [event.type, event.sessionId])).toEqual([
      ['session.created', a.id],
      ['session.created', b.id],
    ]);
    // 2 s of waiting under a 1 s timeout: the call's deadline counts the wait.
    const waited = await client.readEvents({ after: second.cursor, waitSeconds: 2 });
    expect(waited.events).toEqual([]);
    expect(waited.cursor).toEqual(expect.any(String));
  });

  it('events() yields each event as it is recorded, and ends when its signal aborts', async () => {
    const client = createSessionClient({ baseUrl: api.url, apiToken: TOKEN });
    const start = await client.readEvents({ limit: 1000 });
    const controller = new AbortController();
    const seen: ApiEvent[] = [];
    const reading = (async () => {
      for await (const event of client.events({ after: start.cursor, waitSeconds: 30, signal: controller.signal })) {
        seen.push(event);
        if (seen.length === 2) controller.abort();
      }
    })();
    const c = await client.create({ userId: 'client-c' });
    await client.delete(c.id);
    await reading;
    expect(seen.map((event) => [event.type, event.sessionId, event.reason])).toEqual([
      ['session.created', c.id, undefined],
      ['session.deleted', c.id, 'logout'],
    ]);

    // Aborted while a long poll waits: the iteration ends, without an error.
    const idle = new AbortController();
    const waiting = (async () => {
      for await (const _event of client.events({ after: (await client.readEvents({ limit: 1000, after: start.cursor })).cursor, signal: idle.signal })) {
        throw new Error('no event was expected');
      }
    })();
    setTimeout(() => idle.abort(), 300);
    await expect(waiting).resolves.toBeUndefined();
  });

  it('a service without events answers 404 events-disabled', async () => {
    const client = createSessionClient({ baseUrl: off.url });
    const error: unknown = await client.readEvents().catch((caught: unknown) => caught);
    expect(isSessionApiError(error, 'events-disabled')).toBe(true);
  });
});
