import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import type { HttpLogger } from '../../transports/http/index.js';
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
