import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { runServer, type RunningServer } from '../../server/run-server.js';

const nested = (depth: number): unknown => (depth <= 1 ? {} : { d: nested(depth - 1) });

describe('JSON_MAX_DEPTH and prototype keys, through the configured service', () => {
  let running: RunningServer;
  let base: string;
  beforeAll(async () => {
    running = await runServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', JSON_MAX_DEPTH: '4', SHUTDOWN_DELAY_MS: '0' }), createLogger('silent'));
    base = `http://127.0.0.1:${running.port}`;
  });
  afterAll(() => running?.close());

  const post = (body: string) => fetch(`${base}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('accepts data nested to the configured depth and answers one level deeper with a 400 problem', async () => {
    expect((await post(JSON.stringify({ userId: 'deep', data: nested(4) }))).status).toBe(201);
    const refused = await post(JSON.stringify({ userId: 'deep', data: nested(5) }));
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    // 10,000 levels is a 400 too, not a stack overflow.
    const deep = `{"userId":"deep","data":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    expect((await post(deep)).status).toBe(400);
  });

  it('stores __proto__ and constructor keys as plain data, and pollutes no prototype', async () => {
    const body = '{"userId":"proto","data":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}}}}';
    const created = await post(body);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const patched = await fetch(`${base}/sessions/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: '{"data":{"__proto__":{"more":3}}}',
    });
    expect(patched.status).toBe(200);
    const text = await (await fetch(`${base}/sessions/${id}`)).text();
    expect(text).toContain('"data":{"__proto__":{"polluted":1,"more":3},"constructor":{"prototype":{"polluted":2}}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).more).toBeUndefined();
  });
});
