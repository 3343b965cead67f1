import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadConfig, runServer, type RunningServer } from '../../server/index.js';
import { webhookReceiver } from '../../transports/webhooks/index.js';
import { ManualClock } from '../support/manual-clock.js';
import { freePort } from '../support/service-process.js';
import { waitUntil } from '../support/wait-until.js';

const TOKEN = 'events-service-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
const KEY = randomBytes(32);
const SECRET = `whsec_${KEY.toString('base64')}`;
const base = { PORT: '0', HOST: '127.0.0.1', API_TOKENS: TOKEN, EVENTS_ENABLED: 'true', EVENTS_EXPIRY_LAG_SECONDS: '1', SHUTDOWN_DELAY_MS: '0' };

async function json(response: Response): Promise<any> {
  return JSON.parse(await response.text());
}

/** The end of the log now: events after it are those that happen from here on. */
async function tailOf(url: string): Promise<string> {
  let cursor: string | undefined;
  for (;;) {
    const page = await json(await fetch(`${url}/events?limit=1000${cursor === undefined ? '' : `&after=${cursor}`}`, { headers: auth }));
    cursor = page.cursor as string;
    if (page.events.length === 0) return cursor;
  }
}

async function create(url: string, body: object): Promise<{ id: string; userId: string; expiresAt: string; token: string }> {
  const response = await fetch(`${url}/sessions`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(201);
  return json(response);
}

describe('the service with EVENTS_ENABLED=true (memory store, a clock the test moves)', () => {
  let running: RunningServer;
  let url: string;
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  beforeAll(async () => {
    running = await runServer(loadConfig(base), createLogger('silent'), { clock });
    url = `http://127.0.0.1:${running.port}`;
  });
  afterAll(() => running.close());

  it('the sweeper records session.expired for a session past its deadline, with nothing else touching it', async () => {
    const session = await create(url, { userId: 'expiring', ttlSeconds: 60 });
    const from = await tailOf(url);
    clock.advance(60_000 + 250);
    // The wait is for this process's sweeper (a step every 500 ms of real time), not for the
    // session to expire: the clock has already passed its deadline.
    const page = await json(await fetch(`${url}/events?after=${from}&waitSeconds=30`, { headers: auth }));
    expect(page.events).toEqual([
      {
        id: expect.any(String),
        type: 'session.expired',
        time: session.expiresAt,
        recordedAt: new Date(Date.parse(session.expiresAt) + 250).toISOString(),
        sessionId: session.id,
        userId: 'expiring',
        version: 1,
      },
    ]);
    expect((await fetch(`${url}/sessions/${session.id}`, { headers: auth })).status).toBe(404);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^session_events_expired_total 1$/m);
    expect(metrics).toMatch(/^session_expiry_sweeps_total\{outcome="ok"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^session_events_read_total\{type="session\.expired"\} 1$/m);
    // A later step finds nothing more: still exactly one.
    await waitUntil(async () => {
      const steps = Number(/^session_expiry_sweeps_total\{outcome="ok"\} (\d+)$/m.exec(await (await fetch(`${url}/metrics`)).text())?.[1]);
      const before = Number(/^session_expiry_sweeps_total\{outcome="ok"\} (\d+)$/m.exec(metrics)?.[1]);
      expect(steps).toBeGreaterThan(before);
    });
    const again = await json(await fetch(`${url}/events?after=${from}`, { headers: auth }));
    expect(again.events.filter((e: any) => e.sessionId === session.id)).toHaveLength(1);
  });

  it('counts the events the log records, by type, in session_events_recorded_total', async () => {
    const recorded = async (): Promise<Record<string, number>> => {
      const text = await (await fetch(`${url}/metrics`)).text();
      return Object.fromEntries([...text.matchAll(/^session_events_recorded_total\{type="([a-z.]+)"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
    };
    const before = await recorded();
    expect(Object.keys(before).sort()).toEqual(['session.created', 'session.deleted', 'session.expired', 'session.refreshed', 'session.rotated', 'session.updated']);
    const session = await create(url, { userId: 'counted' });
    const write = (method: string, body?: object) =>
      fetch(`${url}/sessions/${session.id}`, { method, headers: { ...auth, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    expect((await write('PUT', { data: { a: 1 } })).status).toBe(200);
    expect((await write('PATCH', { data: { b: 2 } })).status).toBe(200);
    expect((await write('DELETE')).status).toBe(200);
    await waitUntil(async () => {
      const after = await recorded();
      expect({
        created: after['session.created']! - before['session.created']!,
        updated: after['session.updated']! - before['session.updated']!,
        deleted: after['session.deleted']! - before['session.deleted']!,
        rotated: after['session.rotated']! - before['session.rotated']!,
      }).toEqual({ created: 1, updated: 2, deleted: 1, rotated: 0 });
    });
  });
});

describe('the drain with events on', () => {
  it('answers a long poll at once, turns /ready 503 and completes', async () => {
    const running = await runServer(loadConfig(base), createLogger('silent'));
    const url = `http://127.0.0.1:${running.port}`;
    const from = await tailOf(url);
    const started = performance.now();
    const waiting = fetch(`${url}/events?after=${from}&waitSeconds=30`, { headers: auth });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const closing = running.close(400);
    await waitUntil(async () => expect((await fetch(`${url}/ready`)).status).toBe(503));
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect((await json(answer)).events).toEqual([]);
    await closing;
    // Well short of the 30 s asked for: the drain ended it.
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});

/** A webhook receiver over a real port that keeps every request it gets. */
async function startReceiver(): Promise<{ url: string; received: { headers: IncomingMessage['headers']; body: string }[]; close(): Promise<void> }> {
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('webhooks started with the service', () => {
  let running: RunningServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let dead: string;
  let url: string;
  const lines: string[] = [];
  beforeAll(async () => {
    receiver = await startReceiver();
    dead = `http://127.0.0.1:${await freePort()}/down`;
    const logger = createLogger('info', { write: (line: string) => lines.push(line) });
    running = await runServer(loadConfig({ ...base, WEBHOOK_URLS: `${receiver.url},${dead}`, WEBHOOK_SECRET: SECRET }), logger);
    url = `http://127.0.0.1:${running.port}`;
  });
  afterAll(async () => {
    await running?.close();
    await receiver?.close();
  });

  it('posts each event signed with WEBHOOK_SECRET; a receiver that is down leaves /ready at 200; metrics per receiver', async () => {
    const session = await create(url, { userId: 'hooked', data: { private: 'never-sent' } });
    const delivery = await waitUntil(async () => {
      const found = receiver.received.find((request) => JSON.parse(request.body).data.sessionId === session.id);
      if (found === undefined) throw new Error('not delivered yet');
      return found;
    }, 30_000);
    const id = String(delivery.headers['webhook-id']);
    const timestamp = String(delivery.headers['webhook-timestamp']);
    const expected = createHmac('sha256', KEY).update(`${id}.${timestamp}.${delivery.body}`).digest('base64');
    expect(String(delivery.headers['webhook-signature']).split(' ')).toContain(`v1,${expected}`);
    const payload = JSON.parse(delivery.body);
    expect(payload).toMatchObject({ type: 'session.created', data: { id, type: 'session.created', sessionId: session.id, userId: 'hooked', version: 1 } });
    expect(delivery.body).not.toContain('never-sent');
    expect(delivery.body).not.toContain(session.token);

    expect((await fetch(`${url}/ready`)).status).toBe(200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^session_webhook_delivered_total\\{receiver="${labelOf(receiver.url)}"\\} [1-9]\\d*$`, 'm'));
    expect(metrics).toMatch(new RegExp(`^session_webhook_delivered_total\\{receiver="${labelOf(dead)}"\\} 0$`, 'm'));
    expect(metrics).toMatch(new RegExp(`^session_webhook_delivering\\{receiver="${labelOf(receiver.url)}"\\} 1$`, 'm'));
    expect(metrics).toMatch(new RegExp(`^session_webhook_lag_seconds\\{receiver="${labelOf(dead)}"\\} \\d`, 'm'));
  });

  it('says at start-up what the events do, counting the receivers without naming them', () => {
    const messages = lines.map((line) => JSON.parse(line).msg as string);
    expect(messages).toContain('lifecycle events recorded (kept 24 h), expired sessions swept every 500 ms, webhooks to 2 receivers');
    const startUp = lines.find((line) => line.includes('lifecycle events recorded'));
    expect(startUp).not.toContain('/hook');
    expect(startUp).not.toContain('/down');
  });
});

/** How the metrics name a receiver, as a pattern. */
function labelOf(url: string): string {
  return webhookReceiver(url).label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
