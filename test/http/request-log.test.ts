import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import type { HttpLogger } from '../../transports/http/index.js';
import { createLogger } from '../../server/logger.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

describe('the request log', () => {
  const lines: { fields: Record<string, unknown>; message: string | undefined }[] = [];
  const logger: HttpLogger = {
    info: (fields, message) => lines.push({ fields: fields as Record<string, unknown>, message }),
    warn: () => {},
    error: () => {},
  };
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(new MemorySessionStore(), { app: { logger } });
  });
  afterAll(() => api.close());

  it('writes one line per request with the message "request"', async () => {
    await api.request('GET', '/health');
    await api.request('GET', '/nowhere');
    expect(lines.map((line) => [line.message, line.fields.route, line.fields.status])).toEqual([
      ['request', '/health', 200],
      ['request', 'unmatched', 404],
    ]);
  });
});

describe('addresses in the logs', () => {
  it('shows the client only as its /24 and never a session\u2019s ip or user agent, at trace level through the service logger', async () => {
    const chunks: string[] = [];
    const logger = createLogger('trace', { write: (line: string) => chunks.push(line) });
    const api = await startTestServer(new MemorySessionStore(), { app: { logger } });
    try {
      const created = await api.request('POST', '/sessions', {
        json: { userId: 'ip-user', ip: '203.0.113.77', userAgent: 'SecretAgent/7.1', authMethods: ['password'] },
      });
      expect(created.status).toBe(201);
      const { id } = created.body as { id: string };
      expect((await api.request('GET', `/sessions/${id}?maxAuthAgeSeconds=60`)).status).toBe(403);
      expect((await api.request('GET', '/sessions/user/ip-user')).status).toBe(200);
      expect((await api.request('POST', '/sessions', { json: { ip: '198.51.100.23x' } })).status).toBe(400);
    } finally {
      await api.close();
    }
    const output = chunks.join('');
    expect(output.split('\n').filter((line) => line.includes('"route"')).length).toBe(4);
    expect(output).toContain('"client":"127.0.0.0/24"');
    for (const clear of ['127.0.0.1', '203.0.113.77', '203.0.113', '198.51.100.23', 'SecretAgent']) {
      expect(output, `the logs contain ${clear}`).not.toContain(clear);
    }
  });
});
