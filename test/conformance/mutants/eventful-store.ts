import { MemorySessionStore } from '../../../adapters/memory/index.js';
import type { MemoryEventLog, RecordedEvent } from '../../../adapters/memory/memory-event-log.js';
import type { EventPage, SessionEvent, SessionEventLog } from '../../../core/index.js';
import { DelegatingStore } from './delegating-store.js';

/**
 * A correct store with events (the memory store with its log) behind a delegating wrapper.
 * Each events mutant built on it breaks one thing: it records an event the store did not
 * (`record`), hides one it did (`hide`), or shows one otherwise (`shown`), so a rejection is that
 * bug's doing and nothing else's.
 */
export class EventfulStore extends DelegatingStore {
  readonly #log: MemoryEventLog;
  readonly #hidden = new Set<string>();
  readonly #view: SessionEventLog;

  constructor() {
    const inner = new MemorySessionStore({ events: true });
    super(inner);
    this.#log = inner.events as MemoryEventLog;
    const log = this.#log;
    const view = async (page: Promise<EventPage>): Promise<EventPage> => {
      const { events, cursor } = await page;
      return { events: events.filter((event) => !this.#hidden.has(event.id)).map((event) => this.shown(event)), cursor };
    };
    this.#view = {
      read: (after, limit, now) => view(log.read(after, limit, now)),
      tail: (now) => log.tail(now),
      sweepExpired: (now, budget) => this.sweepExpired(now, budget),
      claimConsumer: (name, owner, now, leaseMs) => log.claimConsumer(name, owner, now, leaseMs),
      saveConsumer: (name, owner, cursor, now, leaseMs) => log.saveConsumer(name, owner, cursor, now, leaseMs),
    };
  }

  override get events(): SessionEventLog {
    return this.#view;
  }

  /** The log's sweep, for a mutant to override. */
  protected sweepExpired(now: number, budget: number): Promise<number> {
    return this.#log.sweepExpired(now, budget);
  }

  /** An event as readers see it. */
  protected shown(event: SessionEvent): SessionEvent {
    return event;
  }

  /** Appends an event to the log, as the store would. */
  protected record(event: RecordedEvent, now: number): void {
    this.#log.record(event, now);
  }

  /** Hides the last event recorded of `handle` from every reader from now on. */
  protected async hideLastOf(handle: string, now: number): Promise<void> {
    const last = (await this.everything(now)).findLast((event) => event.sessionId === handle);
    if (last !== undefined) this.#hidden.add(last.id);
  }

  /** Runs `call`, and answers what it answered with the events it recorded meanwhile. */
  protected async recordedBy<T>(now: number, call: () => Promise<T>): Promise<{ answer: T; recorded: SessionEvent[] }> {
    let cursor = await this.#log.tail(now);
    const answer = await call();
    const recorded: SessionEvent[] = [];
    for (;;) {
      const page = await this.#log.read(cursor, 1000, now);
      if (page.events.length === 0) return { answer, recorded };
      recorded.push(...page.events);
      cursor = page.cursor;
    }
  }

  /** Runs `call`, then hides whatever it recorded from every reader. */
  protected async unrecorded<T>(now: number, call: () => Promise<T>): Promise<T> {
    const { answer, recorded } = await this.recordedBy(now, call);
    for (const event of recorded) this.#hidden.add(event.id);
    return answer;
  }

  /** The last event recorded of `handle`, hidden or not. */
  protected async lastOf(handle: string, now: number): Promise<SessionEvent | undefined> {
    return (await this.everything(now)).findLast((event) => event.sessionId === handle);
  }

  /** Every event the log holds. */
  async everything(now: number): Promise<SessionEvent[]> {
    const events: SessionEvent[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await this.#log.read(cursor, 1000, now);
      if (page.events.length === 0) return events;
      events.push(...page.events);
      cursor = page.cursor;
    }
  }
}
