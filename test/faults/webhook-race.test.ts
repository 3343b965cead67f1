import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { WireEvent } from '../../transports/wire/wire-event.js';
import { CountingWebhookReceiver } from '../support/counting-webhook-receiver.js';
import { HttpEventLogReader } from '../support/http-event-log.js';
import { createSession } from './expiry-race-traffic.js';
import { reportFigure } from './fault-figures.js';
import { API_HEADERS, PROCESSES, RacingServices, REDIS_DEPLOYMENTS } from './racing-services.js';

// Issue 15, item 4(a) across processes: three service processes on one Redis, each able to
// deliver, one receiver. Sessions are created, merged, deleted and left to expire; then, while
// creates and deletes go on, the three processes are restarted one after another (SIGTERM, the
// way a rolling deploy does it), so whichever holds the receiver hands it over mid-stream. Every
// event the log holds must reach the receiver at least once, signed, as recorded, and in order per
// session; the duplicates (the "at least" of at-least-once) are counted and printed.
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
    // No drain delay: each restart hands the receiver over at once.
    await racing.start(deployment, { WEBHOOK_URLS: receiver.url, WEBHOOK_SECRET: SECRET, SHUTDOWN_DELAY_MS: '0' });
  }, 180_000);
  afterAll(async () => {
    await racing.stop();
    await receiver?.close();
  });

  it('delivers every event at least once, signed, as recorded, in order per session, through a rolling restart', async () => {
    onTestFailed(() => console.log(racing.outputs()));
    const hook = receiver!;
    // Creates, merges, deletes and expiries, sent to the processes in turn.
    const sessions = [];
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

    // The rolling restart, with creates and deletes going on meanwhile.
    const churn = new Churn(services);
    const churning = churn.run();
    const exits = [];
    try {
      for (let i = 0; i < PROCESSES; i++) {
        churn.down.add(i);
        exits.push(await racing.restart(i));
        churn.down.delete(i);
      }
    } finally {
      churn.stopped = true;
      await churning;
    }
    expect(exits).toEqual(Array(PROCESSES).fill({ code: 0, signal: null }));

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
    const figure = reportFigure(`webhook race, ${PROCESSES} processes, rolling restart (${deployment})`, {
      events: log.events.length,
      deliveries: hook.deliveries.length,
      delivered: [...logIds].filter((id) => counts.has(id)).length,
      duplicates: hook.deliveries.length - counts.size,
      mostDeliveriesOfOne: Math.max(0, ...counts.values()),
      refused: hook.refused.length,
      churn: { created: churn.created, deleted: churn.deleted, failed: churn.failed },
    });
    expect(expiries(), figure).toBe(EXPIRING);
    expect(churn.created, figure).toBeGreaterThan(0);
    expect(hook.refused, figure).toEqual([]);
    expect(undelivered().map((e) => e.id), figure).toEqual([]);
    expect([...counts.keys()].filter((id) => !logIds.has(id)), 'deliveries of no recorded event').toEqual([]);
    // Each delivery carries its event as the log answers it, in the Standard Webhooks envelope.
    const byId = new Map(log.events.map((e) => [e.id, e]));
    for (const delivery of hook.deliveries) {
      const event = byId.get(delivery.id)!;
      expect(JSON.parse(delivery.body)).toEqual({ type: event.type, timestamp: event.time, data: event });
    }
    // Per session, the first delivery of each of its events came in the log's order.
    const firstAt = new Map<string, number>();
    hook.deliveries.forEach((delivery, index) => firstAt.has(delivery.id) || firstAt.set(delivery.id, index));
    for (const own of groupBySession(log.events)) {
      const byArrival = [...own].sort((a, b) => firstAt.get(a.id)! - firstAt.get(b.id)!);
      expect(byArrival.map((e) => e.id), own[0]!.sessionId).toEqual(own.map((e) => e.id));
    }
  }, 300_000);
});

/**
 * Creates a session and deletes it again, over and over, through whichever processes are not
 * `down`; a request a stopping process cut off only counts as `failed` (the log says what happened).
 */
class Churn {
  readonly down = new Set<number>();
  stopped = false;
  created = 0;
  deleted = 0;
  failed = 0;
  #turn = 0;

  constructor(private readonly services: readonly { readonly url: string }[]) {}

  async run(): Promise<void> {
    while (!this.stopped) {
      const up = this.services.map((_, i) => i).filter((i) => !this.down.has(i));
      const service = this.services[up[this.#turn++ % up.length]!]!;
      try {
        const session = await createSession(service, API_HEADERS, `churn-${this.#turn % USERS}`, 3600);
        this.created++;
        const response = await fetch(`${service.url}/sessions/${session.id}`, { method: 'DELETE', headers: API_HEADERS });
        if (response.status === 200) this.deleted++;
        else this.failed++;
      } catch {
        this.failed++;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

function groupBySession(events: readonly WireEvent[]): WireEvent[][] {
  const groups = new Map<string, WireEvent[]>();
  for (const event of events) groups.set(event.sessionId, [...(groups.get(event.sessionId) ?? []), event]);
  return [...groups.values()];
}
