import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { createSessionService } from '../../core/index.js';
import { openApiDocument } from '../../transports/http/index.js';
import { createRouter } from '../../transports/http/route-router.js';
import { ROUTE_TABLE } from '../../transports/http/route-table.js';
import { Registry } from 'prom-client';
import { startTestServer, type TestServer } from '../support/http-test-server.js';
import { createOpenApiResponseCheck } from '../support/openapi-validator.js';

describe('the OpenAPI document', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(new MemorySessionStore());
  });
  afterAll(() => api.close());

  it('is served at /openapi.json as OpenAPI 3.1', async () => {
    const response = await api.request('GET', '/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    expect(response.body).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it('describes exactly the routes the app serves', () => {
    const service = createSessionService({ store: new MemorySessionStore() });
    // The router the app runs, with every optional route on (metrics needs a registry).
    const router = createRouter(
      ROUTE_TABLE,
      { service, isDraining: () => false, registry: new Registry(), documentJson: '{}' },
      { apiTokens: ['t'], metricsRequireToken: true, bodyLimitBytes: 1024 },
    );
    const served = router.stack
      .map((layer) => ({ path: String(layer.path), methods: layer.methods }))
      .flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${layer.path.replace(/:(\w+)/g, '{$1}')}`))
      .sort();
    const documented = Object.entries(openApiDocument().paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, item]) => Object.keys(item).filter((key) => key !== 'parameters').map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(served).toEqual(documented);
  });

  it('is strict enough to catch a response that drifted', () => {
    const check = createOpenApiResponseCheck();
    const session = {
      id: 'Qx3f.9Jd0cJ2nX1lq8Wv5Zk7aBc',
      userId: 'u',
      data: {},
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      lastActiveAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2026-01-02T00:00:00.000Z',
      version: 1,
    };
    expect(check('GET', `/sessions/${session.id}`, 200, 'application/json', session)).toEqual([]);
    const { version: _dropped, ...withoutVersion } = session;
    expect(check('GET', `/sessions/${session.id}`, 200, 'application/json', withoutVersion)).not.toEqual([]);
    const { lastActiveAt: _unseen, ...withoutLastActive } = session;
    expect(check('GET', `/sessions/${session.id}`, 200, 'application/json', withoutLastActive)).not.toEqual([]);
    expect(check('GET', `/sessions/${session.id}`, 200, 'application/json', { ...session, ttl: 5 })).not.toEqual([]);
    expect(check('GET', `/sessions/${session.id}`, 200, 'application/json', { ...session, expiresAt: 'tomorrow' })).not.toEqual([]);
    expect(check('GET', `/sessions/${session.id}`, 404, 'text/plain', 'nope')).not.toEqual([]);
    expect(check('GET', '/sessions', 200, 'application/json', { sessions: [], count: 0 })).not.toEqual([]);
    expect(check('GET', '/unknown', 200, 'application/json', {})).not.toEqual([]);
    expect(check('POST', '/sessions', 200, 'application/json', session)).toEqual(['POST /sessions: status 200 is not documented']);
  });
});
