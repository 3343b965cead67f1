import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { expectProblem, type OpenedTestStore } from '../http/http-api-suite.js';
import { openDynamoTestStore } from '../support/dynamo-test-store.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';
import { openRedisTestStore } from '../support/redis-test-store.js';

const stores: Record<string, () => Promise<OpenedTestStore>> = {
  memory: async () => ({ store: new MemorySessionStore(), close: async () => {} }),
  redis: () => openRedisTestStore('standalone'),
  dynamodb: () => openDynamoTestStore(),
};

/**
 * Hardening item 4. A lone surrogate is not text: Redis and DynamoDB store UTF-8, so `"x\ud800"`
 * arrived there as `"x\ufffd"`, and the two users shared listings and log-outs. JSON lets a body
 * carry one as an escape (`"\ud800"`), which JSON.stringify writes for any lone surrogate.
 */
describe.each(Object.keys(stores))('strings that are not well-formed Unicode, over HTTP on %s', (storeName) => {
  let opened: OpenedTestStore;
  let api: TestServer;
  beforeAll(async () => {
    opened = await stores[storeName]!();
    api = await startTestServer(opened.store);
  });
  afterAll(async () => {
    await api?.close();
    await opened?.close();
  });

  const replacement = `x\ufffd-${storeName}`;
  const lone = `x\ud800-${storeName}`;

  it('a user id with a lone surrogate is refused, and never reaches the user its replacement would name', async () => {
    const own = await api.request('POST', '/sessions', { json: { userId: replacement } });
    expect(own.status, own.text).toBe(201);
    const sent = await api.request('POST', '/sessions', {
      body: `{"userId":"x\\ud800-${storeName}"}`,
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(sent, 400);
    expectProblem(await api.request('POST', '/sessions', { json: { userId: `\udc00${storeName}` } }), 400);
    expectProblem(await api.request('POST', '/sessions', { json: { userId: lone } }), 400);
    const listed = await api.request('GET', `/sessions/user/${encodeURIComponent(replacement)}`);
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ count: 1, sessions: [{ id: own.body.id, userId: replacement }] });
  });

  it('data keys and string values with lone surrogates are refused on create, replace and patch', async () => {
    const created = await api.request('POST', '/sessions', { json: { userId: `u-${storeName}`, data: { keep: 'me' } } });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;
    for (const data of [{ '\ud800': 1 }, { a: 'b\udfff' }, { a: { nested: ['ok', '\ud83d'] } }, { ['k\udc00\ud800']: null }]) {
      expectProblem(await api.request('POST', '/sessions', { json: { userId: `v-${storeName}`, data } }), 400);
      expectProblem(await api.request('PUT', `/sessions/${id}`, { json: { data } }), 400);
      expectProblem(await api.request('PATCH', `/sessions/${id}`, { json: { data } }), 400);
    }
    const read = await api.request('GET', `/sessions/${id}`);
    expect(read.body).toMatchObject({ version: 1, data: { keep: 'me' } });
    // A surrogate pair is one well-formed character, escaped or not.
    const emoji = await api.request('PATCH', `/sessions/${id}`, { body: '{"data":{"\\ud83d\\ude00":"\\ud83d\\ude00"}}', headers: { 'content-type': 'application/json' } });
    expect(emoji.status, emoji.text).toBe(200);
    expect(emoji.body.data).toEqual({ keep: 'me', '\u{1f600}': '\u{1f600}' });
  });
});
