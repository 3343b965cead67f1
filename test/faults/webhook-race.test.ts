import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { CountingWebhookReceiver } from '../support/counting-webhook-receiver.js';
import { HttpEventLogReader } from '../support/http-event-log.js';
import { createSession, type CreatedSession } from './expiry-race-traffic.js';
import { reportFigure } from './fault-figures.js';
import { API_HEADERS, PROCESSES, RacingServices, REDIS_DEPLOYMENTS } from './racing-services.js';

// Issue 15, item 4(a) across processes: three service processes on one Redis, each able to
// deliver, one receiver. Every event the log holds must reach it at least once, signed, and in
// order per session; the duplicates (the "at least" of at-least-once) are counted and printed.
const USERS = 20;
const SESSIONS = 120;
const EXPIRING = 60;
const DELIVERY_DEADLINE_MS = 120_000;
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

describe.each(Object.keys(REDIS_DEPLOYMENTS))('three service processes delivering the events of one %s to a webhook', (deployment) => {
  const racing = new RacingServices();
  const services = racing.processes;
  let receiver: CountingWebhookReceiver | undefined;
  beforeAll(async () => {
    receiver = await CountingWebhookReceiver.start(SECRET);
    await racing.start(deployment, { WEBHOOK_URLS: receiver.url, WEBHOOK_SECRET: SECRET });
  }, 180_000);
  afterAll(async () => {
    await racing.stop();
    await receiver?.close();
  });

  it('delivers every event at least once, signed, in order per session', async () => {
    onTestFailed(() => console.log(racing.outputs()));
    const hook = receiver!;
    // Creates, merges, deletes and expiries, sent to the processes in turn.
    const sessions: CreatedSession[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const ttl = i < EXPIRING ? 2 + (i % 3) : 3600;
      sessions.push(await createSession(services[i % PROCESSES]!, API_HEADERS, `hooked-${i % USERS}`, ttl));
    }
    for (const [i, session] of sessions.slice(EXPIRING).entries()) {
      const service = services[i % PROCESSES]!;
      const patch = await fetch(`${service.url}/sessions/${session.id}`, {
        method: 'PATCH',
        headers: { ...API_HEADERS, 'content-type': 'application/json' },
        body: JSON.stringify({ data: { step: i } }),
      });
      expect(patch.status).toBe(200);
      if (i % 3 === 0) expect((await fetch(`${service.url}/sessions/${session.id}`, { method: 'DELETE', headers: API_HEADERS })).status).toBe(200);
    }

    // Wait (polling) until the log holds every expiry and the receiver has every event in it.
    const log = new HttpEventLogReader(services[0]!.url, API_HEADERS);
    const deadline = Date.now() + DELIVERY_DEADLINE_MS;
    const undelivered = () => {
      const counts = hook.counts();
      return log.events.filter((e) => !counts.has(e.id));
    };
    const expiries = () => log.events.filter((e) => e.type === 'session.expired').length;
    do {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await log.readOn();
    } while ((expiries() < EXPIRING || undelivered().length > 0) && Date.now() < deadline);

    const counts = hook.counts();
    const logIds = new Set(log.events.map((e) => e.id));
    const figure = reportFigure(`webhook race, ${PROCESSES} processes (${deployment})`, {
      events: log.events.length,
      deliveries: hook.deliveries.length,
      delivered: [...logIds].filter((id) => counts.has(id)).length,
      duplicates: hook.deliveries.length - counts.size,
      mostDeliveriesOfOne: Math.max(0, ...counts.values()),
      refused: hook.refused.length,
    });
    expect(expiries(), figure).toBe(EXPIRING);
    expect(hook.refused, figure).toEqual([]);
    expect(undelivered().map((e) => e.id), figure).toEqual([]);
    expect([...counts.keys()].filter((id) => !logIds.has(id)), 'deliveries of no recorded event').toEqual([]);
    // Per session, the first delivery of each of its events came in the log's order.
    const firstAt = new Map<string, number>();
    hook.deliveries.forEach((delivery, index) => firstAt.has(delivery.id) || firstAt.set(delivery.id, index));
    for (const session of sessions) {
      const own = log.events.filter((e) => e.sessionId === session.id);
      const byArrival = [...own].sort((a, b) => firstAt.get(a.id)! - firstAt.get(b.id)!);
      expect(byArrival.map((e) => e.type), session.id).toEqual(own.map((e) => e.type));
    }
  }, 300_000);
});
