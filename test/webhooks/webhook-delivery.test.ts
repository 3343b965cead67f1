import { randomBytes } from 'node:crypto';
import { setTimeout as pause } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionService, InvalidInputError, type SessionEvent, type SessionEventLog, type Sleep } from '../../core/index.js';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { startWebhookDelivery, webhookReceiver, type WebhookDelivery, type WebhookDeliveryOptions } from '../../transports/webhooks/index.js';
import { ManualClock } from '../support/manual-clock.js';
import { startTcpGate } from '../support/tcp-gate.js';
import { waitUntil } from '../support/wait-until.js';
import { startWebhookTestReceiver, type WebhookTestReceiver } from '../support/webhook-test-receiver.js';

/**
 * Issue 15, item 4a: webhook delivery from the memory store's event log (events on) to real HTTP
 * receivers on 127.0.0.1. Time is the test's clock: where a test needs backoff and retry windows
 * to pass, the delivery's sleep moves the clock by what it was asked to wait (and yields for a
 * moment of real time, so sockets get their turn); elsewhere the clock stands still and only the
 * test moves it.
 */

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const HOUR = 60 * 60 * 1000;
const WAIT = 20_000;

/** Waits pass on the clock at once; real time only for the sockets. */
const clockSleep = (clock: ManualClock): Sleep => async (ms) => {
  clock.advance(ms);
  await pause(2);
};
/** Waits pass in a moment of real time; the clock stands still. */
const brief: Sleep = () => pause(2);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function receiver(): Promise<WebhookTestReceiver> {
  const started = await startWebhookTestReceiver(SECRET);
  cleanups.push(() => started.close());
  return started;
}

function world() {
  const clock = new ManualClock();
  const store = new MemorySessionStore({ events: true });
  const log = store.events;
  if (log === undefined) throw new Error('the memory store was built with events');
  const service = createSessionService({ store, clock, sleep: brief });
  /** Every event the log holds after `after` (all when undefined). */
  const events = async (after?: string): Promise<SessionEvent[]> => (await log.read(after, 1000, clock.now())).events.slice();
  const start = (options: Partial<WebhookDeliveryOptions> & Pick<WebhookDeliveryOptions, 'urls'>): WebhookDelivery => {
    const delivery = startWebhookDelivery({ log, secret: SECRET, clock, sleep: clockSleep(clock), pollIntervalMs: 1000, ...options });
    cleanups.push(() => delivery.stop());
    return delivery;
  };
  return { clock, store, log, service, events, start };
}

const delivering = async (delivery: WebhookDelivery, index = 0) =>
  waitUntil(async () => expect(delivery.metrics()[index]?.delivering).toBe(true), WAIT);

/**
 * Waits until the receiver has accepted exactly `expected` and every one of its 2xx answers has
 * reached the senders (the receiver records a request before its answer arrives at the other end).
 */
const received = async (hooks: WebhookTestReceiver, expected: () => Promise<unknown[]> | unknown[], ...deliveries: WebhookDelivery[]) =>
  waitUntil(async () => {
    expect(hooks.accepted()).toEqual(await expected());
    const delivered = deliveries.flatMap((delivery) => delivery.metrics()).reduce((sum, { delivered: n }) => sum + n, 0);
    expect(delivered).toBe(hooks.accepted().length);
  }, WAIT);

/**
 * Delivers one event to a receiver that refuses its first attempts with these `Retry-After`s (a
 * 503, then 429s; given as text, or made from the clock's time), then takes it, under a backoff
 * that would retry within a second, capped at 5 minutes; answers the waits between the attempts.
 */
async function retryAfterWaits(asked: readonly (string | ((now: number) => string))[]): Promise<{ waits: number[]; delivery: WebhookDelivery }> {
  const { clock, service, events, start } = world();
  const hooks = await receiver();
  const sentAt: number[] = [];
  hooks.answer = (_request, index) => {
    sentAt.push(clock.now());
    const retryAfter = asked[index];
    if (retryAfter === undefined) return 204;
    return { status: index === 0 ? 503 : 429, retryAfter: typeof retryAfter === 'string' ? retryAfter : retryAfter(clock.now()) };
  };
  const delivery = start({ urls: [hooks.url], backoff: { baseDelayMs: 1000, maxDelayMs: 300_000 } });
  await delivering(delivery);
  await service.create({ userId: 'busy' });
  await received(hooks, async () => (await events()).map(({ id }) => id), delivery);
  return { waits: sentAt.slice(1).map((at, i) => at - (sentAt[i] ?? 0)), delivery };
}

describe('webhook delivery', () => {
  it('signs every attempt, retries refused ones, and delivers every event once, in log order, from the tail on', async () => {
    const { clock, service, events, start } = world();
    const hooks = await receiver();
    // The first six attempts fail: three 500s and three connections cut without an answer.
    hooks.answer = (_request, index) => (index >= 6 ? 204 : index % 2 === 0 ? 500 : 'close');
    const before = await service.create({ userId: 'before' });
    const startedAt = clock.now();
    const delivery = start({ urls: [hooks.url] });
    await delivering(delivery);

    const tokens = [before.token];
    for (let i = 0; i < 8; i++) {
      const created = await service.create({ userId: `user-${i % 3}`, data: { secret: `data-${i}` } });
      tokens.push(created.token);
      if (i % 2 === 0) await service.patch(created.id, { n: i });
      if (i % 3 === 0) await service.replace(created.id, { n: -i });
    }
    await service.delete((await service.listByUser('user-0')).sessions[0]!.id);
    await service.deleteByUser('user-1');
    const all = await events();
    const expected = all.slice(1).map(({ id }) => id); // the first, from before the start, is not sent
    expect(all[0]?.sessionId).toBe(before.id);
    expect(expected.length).toBeGreaterThan(15);

    await received(hooks, () => expected, delivery);
    await delivery.stop();

    expect(hooks.accepted()).toEqual(expected); // no loss, no duplicate, in order
    expect(hooks.requests.slice(0, 7).map(({ id }) => id)).toEqual(Array(7).fill(expected[0])); // the refused ones were the first event, retried
    const byId = new Map(all.map((event) => [event.id, event]));
    let lastTimestamp = 0;
    for (const request of hooks.requests) {
      expect(request.signatureValid).toBe(true);
      expect(request.contentType).toBe('application/json');
      const event = byId.get(request.id ?? '');
      expect(request.payload).toEqual({
        type: event?.type,
        timestamp: new Date(event?.time ?? 0).toISOString(),
        data: expect.objectContaining({ id: request.id, type: event?.type, sessionId: event?.sessionId, version: event?.version }),
      });
      expect(request.payload.data).not.toHaveProperty('data');
      for (const token of tokens) expect(request.body).not.toContain(token);
      expect(request.body).not.toContain('data-');
      // The time of the attempt, in whole seconds, on the delivery's clock; never going back.
      expect(request.timestamp).toMatch(/^\d+$/);
      const timestamp = Number(request.timestamp);
      expect(timestamp).toBeGreaterThanOrEqual(Math.floor(startedAt / 1000));
      expect(timestamp).toBeLessThanOrEqual(Math.floor(clock.now() / 1000));
      expect(timestamp).toBeGreaterThanOrEqual(lastTimestamp);
      lastTimestamp = timestamp;
    }
    expect(delivery.metrics()).toEqual([
      expect.objectContaining({ receiver: webhookReceiver(hooks.url).label, delivering: false, delivered: expected.length, failed: 0, retries: 6 }),
    ]);
  });

  it('gets a receiver that was down for an hour everything, in order, when it returns', async () => {
    const { clock, service, events, start } = world();
    const hooks = await receiver();
    const gate = await startTcpGate(hooks.port);
    cleanups.push(() => gate.close());
    const delivery = start({ urls: [`http://127.0.0.1:${gate.port}/hooks`] });
    await delivering(delivery);
    const first = await service.create({ userId: 'early' });
    await received(hooks, async () => [(await events())[0]?.id], delivery);

    await gate.shut();
    const downAt = clock.now();
    const tail = (await events()).at(-1)?.id;
    for (let i = 0; i < 10; i++) await service.patch(first.id, { i });
    for (let i = 0; i < 10; i++) await service.create({ userId: `down-${i}` });
    // The loop's backoff moves the clock: wait until even the last event is an hour old.
    const last = (await events()).at(-1)?.time ?? Number.POSITIVE_INFINITY;
    await waitUntil(async () => expect(clock.now() - last).toBeGreaterThan(HOUR), WAIT);
    expect(clock.now() - downAt).toBeGreaterThan(HOUR);
    const down = delivery.metrics()[0];
    expect(down).toMatchObject({ delivering: true, delivered: 1, failed: 0 });
    expect(down?.retries).toBeGreaterThan(5);
    expect(down?.lagMs).toBeGreaterThan(HOUR);

    await gate.open();
    const all = await events();
    const expected = all.map(({ id }) => id);
    expect(all.findIndex(({ id }) => id === tail)).toBe(0);
    await received(hooks, () => expected, delivery);
    await waitUntil(async () => expect(delivery.metrics()[0]?.lagMs).toBe(0), WAIT);
    const after = delivery.metrics()[0];
    expect(after).toMatchObject({ delivered: expected.length, failed: 0 });
    expect(after?.lastDeliveryLagMs).toBeGreaterThan(HOUR);
    expect(hooks.requests.every(({ signatureValid }) => signatureValid)).toBe(true);
  });

  it('keeps delivering to one receiver while another never answers, and stops with a request still hanging', async () => {
    const { service, events, start } = world();
    const slow = await receiver();
    slow.answer = () => 'hang';
    const fast = await receiver();
    const delivery = start({ urls: [slow.url, fast.url], sleep: brief, requestTimeoutMs: 120_000, leaseMs: 240_000 });
    await delivering(delivery, 0);
    await delivering(delivery, 1);

    for (let i = 0; i < 10; i++) await service.create({ userId: `user-${i}` });
    const expected = (await events()).map(({ id }) => id);
    await received(fast, () => expected, delivery);
    expect(slow.requests.map(({ id }) => id)).toEqual([expected[0]]); // its first request still hangs
    expect(delivery.metrics()).toMatchObject([
      { receiver: webhookReceiver(slow.url).label, delivered: 0, retries: 0, failed: 0 },
      { receiver: webhookReceiver(fast.url).label, delivered: 10, lagMs: 0 },
    ]);
    await delivery.stop(); // the hanging request is aborted, not waited out
    expect(delivery.metrics().map(({ delivering }) => delivering)).toEqual([false, false]);
  });

  it('gives up on a request after the timeout and tries again', async () => {
    const { service, events, start } = world();
    const hooks = await receiver();
    hooks.answer = (_request, index) => (index === 0 ? 'hang' : 204);
    const reasons: unknown[] = [];
    const logger = { info() {}, warn: (fields: { reason?: unknown }) => reasons.push(fields.reason), error() {} };
    const delivery = start({ urls: [hooks.url], requestTimeoutMs: 300, leaseMs: 60_000, logger });
    await delivering(delivery);
    await service.create({ userId: 'patient' });
    const [event] = await events();
    await received(hooks, () => [event?.id], delivery);
    expect(hooks.requests.map(({ id, answer }) => [id, answer])).toEqual([
      [event?.id, 'hang'],
      [event?.id, 204],
    ]);
    expect(reasons).toEqual(['timeout after 300 ms']);
    expect(delivery.metrics()[0]).toMatchObject({ delivered: 1, retries: 1 });
  });

  it('sends the event in flight when a process dies again from the next one: at least once, never lost', async () => {
    const { clock, service, events, start } = world();
    const hooks = await receiver();
    hooks.answer = (_request, index) => (index === 0 ? 'hang' : 204);
    const common = { urls: [hooks.url], sleep: brief, leaseMs: 60_000, requestTimeoutMs: 30_000 };
    const one = start({ ...common, owner: 'process-1' });
    await delivering(one);
    await service.create({ userId: 'in-flight' });
    await service.create({ userId: 'next' });
    const expected = (await events()).map(({ id }) => id);
    await waitUntil(async () => expect(hooks.requests).toHaveLength(1), WAIT);
    // Process 1 is as good as dead: stuck in a request, it renews nothing, and its lease runs out.
    clock.advance(60_000);

    const two = start({ ...common, owner: 'process-2' });
    await received(hooks, () => expected, one, two);
    expect(hooks.requests.map(({ id }) => id)).toEqual([expected[0], ...expected]);
    expect([one.metrics()[0]?.delivered, two.metrics()[0]?.delivered]).toEqual([0, 2]);
    await one.stop(); // aborts the request still hanging; process 2 keeps the lease
    await service.create({ userId: 'after' });
    await received(hooks, async () => (await events()).map(({ id }) => id), one, two);
    expect(two.metrics()[0]).toMatchObject({ delivering: true, delivered: 3 });
  });

  it('delivers each event from one of two processes at a time, and hands over on a stop and when a lease runs out', async () => {
    const { clock, service, events, start } = world();
    const hooks = await receiver();
    const leaseMs = 30_000;
    const common = { urls: [hooks.url], sleep: brief, leaseMs, requestTimeoutMs: 10_000 };
    const created = async (n: number, prefix: string) => {
      for (let i = 0; i < n; i++) await service.create({ userId: `${prefix}-${i}` });
    };
    const ids = async () => (await events()).map(({ id }) => id);

    const one = start({ ...common, owner: 'process-1' });
    await delivering(one);
    const two = start({ ...common, owner: 'process-2', sleep: freezable.sleep });
    await created(10, 'a');
    await received(hooks, ids, one, two);
    expect([one.metrics()[0]?.delivered, two.metrics()[0]?.delivered]).toEqual([10, 0]);
    expect(two.metrics()[0]?.delivering).toBe(false);

    // A stop hands the lease over at once: no need to wait for it to run out.
    await one.stop();
    await delivering(two);
    await created(10, 'b');
    await received(hooks, ids, one, two);
    expect([one.metrics()[0]?.delivered, two.metrics()[0]?.delivered]).toEqual([10, 10]);

    // Process 2 freezes (its next wait never ends): it keeps its lease until the lease runs out.
    freezable.freeze();
    await waitUntil(async () => expect(freezable.frozenWaits()).toBe(1), WAIT);
    const three = start({ ...common, owner: 'process-3', sleep: counting.sleep });
    await created(5, 'c');
    await waitUntil(async () => expect(counting.calls()).toBeGreaterThan(5), WAIT); // it asked for the lease, more than once
    expect(three.metrics()[0]?.delivering).toBe(false);
    expect(hooks.accepted()).toHaveLength(20);

    clock.advance(leaseMs);
    await delivering(three);
    await received(hooks, ids, one, two, three);
    expect(three.metrics()[0]?.delivered).toBe(5);

    // Process 2 wakes: it finds the lease taken and stands by; nothing is sent twice.
    freezable.thaw();
    await waitUntil(async () => expect(two.metrics()[0]?.delivering).toBe(false), WAIT);
    await created(1, 'd');
    await received(hooks, ids, one, two, three);
    expect([two.metrics()[0]?.delivered, three.metrics()[0]?.delivered]).toEqual([10, 6]);
    expect(hooks.accepted()).toHaveLength(26);
    expect(new Set(hooks.accepted()).size).toBe(26);
  });

  it('drops an event not delivered within the retry window, counts it, logs it without secrets, and moves on', async () => {
    const { service, events, start } = world();
    const hooks = await receiver();
    hooks.answer = (request) => (request.payload?.data?.userId === 'refused' ? 500 : 204);
    const lines: string[] = [];
    const record = (level: string) => (fields: object, message?: string) => lines.push(JSON.stringify({ level, ...fields, message }));
    const password = 'pw-s3cret-value';
    const query = 'q-s3cret-value';
    const delivery = start({
      urls: [`http://hookuser:${password}@127.0.0.1:${hooks.port}/hooks?key=${query}`],
      retryWindowMs: HOUR,
      logger: { info: record('info'), warn: record('warn'), error: record('error') },
    });
    await delivering(delivery);
    await service.create({ userId: 'refused' });
    await service.create({ userId: 'welcome' });
    const [refused, welcome] = await events();

    await received(hooks, () => [welcome?.id], delivery);
    const attempts = hooks.requests.filter(({ id }) => id === refused?.id).map(({ timestamp }) => Number(timestamp) * 1000 - (refused?.time ?? 0));
    // Retried while younger than the window; dropped after the first attempt past it.
    expect(attempts.slice(0, -1).every((age) => age < HOUR)).toBe(true);
    expect(attempts.at(-1)).toBeGreaterThan(HOUR - 1000);
    expect(delivery.metrics()[0]).toMatchObject({ delivered: 1, failed: 1, retries: attempts.length - 1 });
    expect(hooks.requests.every(({ authorization }) => authorization === `Basic ${Buffer.from(`hookuser:${password}`).toString('base64')}`)).toBe(true);

    const dropped = lines.filter((line) => line.includes('webhook dropped'));
    expect(dropped).toHaveLength(1);
    expect(JSON.parse(dropped[0] ?? '{}')).toMatchObject({ level: 'warn', eventId: refused?.id, reason: 'status 500', receiver: webhookReceiver(`http://127.0.0.1:${hooks.port}/hooks?key=${query}`).label });
    expect(lines.filter((line) => line.includes('webhook attempt failed'))).toHaveLength(attempts.length - 1);
    for (const line of lines) {
      for (const secret of [SECRET, SECRET.slice('whsec_'.length), password, query, 'hookuser']) expect(line).not.toContain(secret);
    }
  });

  it('waits as long as a Retry-After asks, within the backoff cap', async () => {
    const { waits, delivery } = await retryAfterWaits(['120', '86400']);
    const [toSecond = 0, toThird = 0] = waits;
    expect(toSecond).toBeGreaterThanOrEqual(120_000);
    expect(toSecond).toBeLessThan(120_000 + 30_000);
    expect(toThird).toBeGreaterThanOrEqual(300_000); // a day asked for, the cap given
    expect(toThird).toBeLessThan(300_000 + 30_000);
    expect(delivery.metrics()[0]).toMatchObject({ delivered: 1, retries: 2 });
  });

  it('reads Retry-After as RFC 9110 writes it: an HTTP-date is a wait, an ISO date none', async () => {
    // 120 s ahead as an HTTP-date; then a day ahead as ISO 8601, which Date.parse takes but the header may not carry.
    const { waits, delivery } = await retryAfterWaits([(now) => new Date(now + 120_000).toUTCString(), (now) => new Date(now + 86_400_000).toISOString()]);
    const [toSecond = 0, toThird = 0] = waits;
    expect(toSecond).toBeGreaterThanOrEqual(119_000);
    expect(toSecond).toBeLessThan(120_000 + 30_000);
    // The backoff's own wait (about 2 s on the second retry), not the 5-minute cap a day would have asked for.
    expect(toThird).toBeLessThan(60_000);
    expect(delivery.metrics()[0]).toMatchObject({ delivered: 1, retries: 2 });
  });

  it('rides out an event log that fails for a while, and loses nothing', async () => {
    const { log, service, events, clock } = world();
    const hooks = await receiver();
    let failing = false;
    let failures = 0;
    // The real log, behind a switch that makes every call fail as an unreachable store would.
    const flaky = failingLog(log, () => {
      if (!failing) return undefined;
      failures++;
      return Object.assign(new Error(`connect ECONNREFUSED redis://:${SECRET}@db`), { code: 'ECONNREFUSED' });
    });
    const lines: string[] = [];
    const logger = { info() {}, warn: (fields: object, message?: string) => lines.push(JSON.stringify({ ...fields, message })), error() {} };
    const delivery = startWebhookDelivery({ log: flaky, urls: [hooks.url], secret: SECRET, clock, sleep: clockSleep(clock), logger });
    cleanups.push(() => delivery.stop());
    await delivering(delivery);
    await service.create({ userId: 'one' });
    await received(hooks, async () => (await events()).map(({ id }) => id), delivery);

    failing = true;
    await service.create({ userId: 'two' });
    await waitUntil(async () => expect(failures).toBeGreaterThan(3), WAIT);
    failing = false;
    await service.create({ userId: 'three' });
    await received(hooks, async () => (await events()).map(({ id }) => id), delivery);
    expect(hooks.accepted()).toHaveLength(3);
    expect(lines.filter((line) => line.includes('the event log failed'))).toHaveLength(failures);
    for (const line of lines) expect(line).not.toContain(SECRET);
    expect(lines[0]).toContain('ECONNREFUSED');
  });

  it('starts again at the tail, saying so, when the log refuses the saved cursor', async () => {
    const { log, service, events, clock } = world();
    const hooks = await receiver();
    let refuse = false;
    const refusing = failingLog(log, (method) => {
      if (!refuse || method !== 'read') return undefined;
      refuse = false;
      return new InvalidInputError('cursor', 'not a cursor of this log');
    });
    const errors: string[] = [];
    const logger = { info() {}, warn() {}, error: (_fields: object, message?: string) => errors.push(message ?? '') };
    const delivery = startWebhookDelivery({ log: refusing, urls: [hooks.url], secret: SECRET, clock, sleep: clockSleep(clock), logger });
    cleanups.push(() => delivery.stop());
    await delivering(delivery);
    await service.create({ userId: 'one' });
    await received(hooks, async () => (await events()).map(({ id }) => id), delivery);

    refuse = true;
    await waitUntil(async () => expect(errors).toHaveLength(1), WAIT);
    await service.create({ userId: 'two' });
    await received(hooks, async () => (await events()).map(({ id }) => id), delivery);
    expect(errors[0]).toMatch(/refused the saved webhook cursor/);
  });

  it('refuses settings that would deliver twice or leak, before it starts', () => {
    const { log } = world();
    const url = 'http://127.0.0.1:9/hooks';
    expect(() => startWebhookDelivery({ log, urls: [url, 'http://user:pw@127.0.0.1:9/hooks'], secret: SECRET })).toThrow(
      `webhook receiver ${webhookReceiver('http://127.0.0.1:9/hooks').label} is listed twice`,
    );
    expect(() => startWebhookDelivery({ log, urls: [url], secret: SECRET, leaseMs: 10_000, requestTimeoutMs: 10_000 })).toThrow(/lease/);
    expect(() => startWebhookDelivery({ log, urls: [url], secret: 'whsec_short' })).toThrow(/webhook secret/);
    expect(() => startWebhookDelivery({ log, urls: [url], secret: [] })).toThrow(/secret/);
  });
});

/** A sleep that, once frozen, never ends its next wait until thawed: a process that stopped running. */
const freezable = (() => {
  let frozen = false;
  let waiting = 0;
  let thaw: () => void = () => undefined;
  let gate = Promise.resolve();
  return {
    sleep: (async () => {
      if (!frozen) return pause(2);
      waiting++;
      await gate;
    }) as Sleep,
    freeze: () => {
      frozen = true;
      gate = new Promise<void>((resolve) => (thaw = resolve));
    },
    thaw: () => {
      frozen = false;
      thaw();
    },
    frozenWaits: () => waiting,
  };
})();

/** A brief sleep that counts its calls. */
const counting = (() => {
  let calls = 0;
  return {
    sleep: (async () => {
      calls++;
      await pause(2);
    }) as Sleep,
    calls: () => calls,
  };
})();

/** The real log, with each call first asked of `fault`: an error to fail with, or `undefined` to go through. */
function failingLog(log: SessionEventLog, fault: (method: string) => Error | undefined): SessionEventLog {
  return new Proxy(log, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const error = fault(String(key));
        return error === undefined ? (value as (...a: unknown[]) => unknown).apply(target, args) : Promise.reject(error);
      };
    },
  });
}
