import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadConfig, runServer, type RunningServer } from '../../server/index.js';

const seriesOf = (text: string) => text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));

describe('GET /metrics', () => {
  let running: RunningServer;
  let base: string;
  beforeAll(async () => {
    running = await runServer(loadConfig({ PORT: '0', HOST: '127.0.0.1' }), createLogger('silent'));
    base = `http://127.0.0.1:${running.port}`;
  });
  afterAll(() => running.close());

  it('exposes request, store and process metrics in the Prometheus text format', async () => {
    await fetch(`${base}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userId":"m"}' });
    await fetch(`${base}/sessions/not-an-id`);
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toMatch(/^http_requests_total\{method="POST",route="\/sessions",status="201"\} 1$/m);
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/sessions\/:id",status="404"\} 1$/m);
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="0\.005",method="POST",route="\/sessions",status="201"\} \d+$/m);
    expect(text).toMatch(/^session_store_operation_duration_seconds_count\{store="memory",operation="create"\} 1$/m);
    expect(text).toContain('# TYPE session_store_errors_total counter');
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });

  it('keeps the number of series flat across 1,000 distinct session ids', async () => {
    const hit = async (i: number) => {
      const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
      await fetch(`${base}/sessions/${id}`);
      await fetch(`${base}/sessions/${id}`, { method: 'DELETE' });
      await fetch(`${base}/nothing/here/${i}`);
    };
    await hit(0);
    const before = seriesOf(await (await fetch(`${base}/metrics`)).text()).filter((line) => !line.startsWith('process_') && !line.startsWith('nodejs_'));
    for (let i = 1; i <= 1000; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => hit(i + j)));
    const after = seriesOf(await (await fetch(`${base}/metrics`)).text()).filter((line) => !line.startsWith('process_') && !line.startsWith('nodejs_'));
    expect(after.length).toBe(before.length);
    expect(after.join('\n')).not.toMatch(/00000000-0000-4000/);
    expect(after.join('\n')).toMatch(/route="unmatched"/);
  });
});

describe('GET /metrics with METRICS_REQUIRE_TOKEN', () => {
  it('asks for the bearer token when told to, and never for the probes', async () => {
    const token = 'metrics-token-1234567890';
    const running = await runServer(
      loadConfig({ PORT: '0', HOST: '127.0.0.1', API_TOKENS: token, METRICS_REQUIRE_TOKEN: 'true' }),
      createLogger('silent'),
    );
    try {
      const base = `http://127.0.0.1:${running.port}`;
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      expect((await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await fetch(`${base}/health`)).status).toBe(200);
    } finally {
      await running.close();
    }
  });
});
