import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import {
  createSessionService,
  encodeEventCursor,
  decodeEventCursor,
  EventsDisabledError,
  InvalidInputError,
  type EventPage,
  type SessionChange,
  type SessionEvent,
  type SessionEventLog,
  type SessionStore,
} from '../../core/index.js';
import { ManualClock } from '../support/manual-clock.js';

// The service's side of the event log: what it checks and passes on, and how events() waits.
// The stores' logs are proven by the conformance suite; this log is a list the test appends to.
class ListedLog implements SessionEventLog {
  readonly events: SessionEvent[] = [];
  readonly reads: { after: string | undefined; limit: number; now: number }[] = [];
  readonly sweeps: { now: number; budget: number }[] = [];

  append(event: Omit<SessionEvent, 'id'>): void {
    this.events.push({ ...event, id: `e${this.events.length}` });
  }
  async read(after: string | undefined, limit: number, now: number): Promise<EventPage> {
    this.reads.push({ after, limit, now });
    const from = after === undefined ? 0 : Number(decodeEventCursor(after, (positions) => positions.length === 1)[0]);
    const events = this.events.slice(from, from + limit);
    return { events, cursor: encodeEventCursor([String(from + events.length)]) };
  }
  async tail(): Promise<string> {
    return encodeEventCursor([String(this.events.length)]);
  }
  async sweepExpired(now: number, budget: number): Promise<number> {
    this.sweeps.push({ now, budget });
    return 0;
  }
  async claimConsumer(): Promise<'taken'> {
    return 'taken';
  }
  async saveConsumer(): Promise<boolean> {
    return false;
  }
}

function storeWith(log: SessionEventLog, changes: SessionChange[] = []): SessionStore {
  const memory = new MemorySessionStore();
  return new Proxy(memory, {
    get(target, key, receiver) {
      if (key === 'events') return log;
      if (key === 'update') {
        return (id: string, change: SessionChange, now: number) => {
          changes.push(change);
          return target.update(id, change, now);
        };
      }
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const created = (n: number): Omit<SessionEvent, 'id'> => ({ type: 'session.created', time: n, sessionId: `AAAA.${String(n).padStart(22, '0')}`, version: 1 });

describe('the service over an event log', () => {
  it('refuses every event call with EventsDisabledError when the store records none', async () => {
    const service = createSessionService({ store: new MemorySessionStore() });
    await expect(service.readEvents()).rejects.toBeInstanceOf(EventsDisabledError);
    await expect(service.eventsTail()).rejects.toBeInstanceOf(EventsDisabledError);
    await expect(service.sweepExpired()).rejects.toBeInstanceOf(EventsDisabledError);
    await expect(service.events().next()).rejects.toBeInstanceOf(EventsDisabledError);
    expect(new EventsDisabledError().code).toBe('events_disabled');
  });

  it('reads with the default limit and its own now, and checks limit and cursor before the log sees them', async () => {
    const clock = new ManualClock();
    const log = new ListedLog();
    const service = createSessionService({ store: storeWith(log), clock });
    for (let i = 0; i < 3; i++) log.append(created(i));
    const page = await service.readEvents();
    expect(page.events.map((e) => e.id)).toEqual(['e0', 'e1', 'e2']);
    expect(log.reads).toEqual([{ after: undefined, limit: 100, now: clock.now() }]);
    expect((await service.readEvents({ after: page.cursor })).events).toEqual([]);
    for (const limit of [0, 1001, 1.5, Number.NaN]) {
      await expect(service.readEvents({ limit })).rejects.toMatchObject({ field: 'limit' });
    }
    for (const after of ['', 'not a cursor', 'a/b', 'x'.repeat(131073)]) {
      await expect(service.readEvents({ after })).rejects.toMatchObject({ field: 'cursor' });
    }
    expect(log.reads).toHaveLength(2);
  });

  it('sweeps with the default budget of 1000 and refuses a budget that is not a whole number of at least 1', async () => {
    const clock = new ManualClock();
    const log = new ListedLog();
    const service = createSessionService({ store: storeWith(log), clock });
    expect(await service.sweepExpired()).toBe(0);
    await service.sweepExpired(7);
    expect(log.sweeps).toEqual([
      { now: clock.now(), budget: 1000 },
      { now: clock.now(), budget: 7 },
    ]);
    for (const budget of [0, -1, 2.5]) await expect(service.sweepExpired(budget)).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('events() yields what is recorded, in order, waits its poll interval while nothing is new, and ends when aborted', async () => {
    const log = new ListedLog();
    const waits: number[] = [];
    const controller = new AbortController();
    let round = 0;
    const sleep = async (ms: number): Promise<void> => {
      waits.push(ms);
      // Each wait, something new is recorded; after three, the consumer gives up.
      round++;
      if (round <= 2) log.append(created(100 + round));
      else controller.abort();
    };
    const service = createSessionService({ store: storeWith(log), sleep, eventPollIntervalMs: 25 });
    log.append(created(1));
    log.append(created(2));
    const seen: string[] = [];
    for await (const event of service.events({ signal: controller.signal })) seen.push(event.id);
    expect(seen).toEqual(['e0', 'e1', 'e2', 'e3']);
    expect(waits).toEqual([25, 25, 25]);
  });

  it('events() starts after the cursor given, so eventsTail() shows only what happens from now on', async () => {
    const log = new ListedLog();
    const controller = new AbortController();
    const service = createSessionService({ store: storeWith(log), sleep: async () => controller.abort() });
    log.append(created(1));
    const tail = await service.eventsTail();
    log.append(created(2));
    const seen: string[] = [];
    for await (const event of service.events({ after: tail, signal: controller.signal })) seen.push(event.id);
    expect(seen).toEqual(['e1']);
  });

  it('events() stops between events of one read when aborted meanwhile', async () => {
    const log = new ListedLog();
    for (let i = 0; i < 5; i++) log.append(created(i));
    const controller = new AbortController();
    const service = createSessionService({ store: storeWith(log) });
    const seen: string[] = [];
    for await (const event of service.events({ signal: controller.signal })) {
      seen.push(event.id);
      if (seen.length === 2) controller.abort();
    }
    expect(seen).toEqual(['e0', 'e1']);
  });

  it('refuses a poll interval that is not a whole number of ms', () => {
    for (const eventPollIntervalMs of [0, -5, 1.5]) {
      expect(() => createSessionService({ store: new MemorySessionStore(), eventPollIntervalMs })).toThrow(InvalidInputError);
    }
  });

  it('tells the store which write made an update: replace, patch, or none for a refresh', async () => {
    const changes: SessionChange[] = [];
    const service = createSessionService({ store: storeWith(new ListedLog(), changes), policy: { touchInterval: 0 } });
    const session = await service.create({ userId: 'alice' });
    await service.replace(session.id, { a: 1 });
    await service.patch(session.id, { b: 2 });
    await service.replace(session.id, { c: 3 }, { expectedVersion: 3 });
    await service.refresh(session.id);
    expect(changes.map((change) => change.cause)).toEqual(['replace', 'patch', 'replace', undefined]);
  });
});
