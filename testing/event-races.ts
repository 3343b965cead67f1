import fc from 'fast-check';
import type { Session, SessionEvent, SessionEventLog, SessionStore } from '../core/index.js';
import type { CheckSessionStoreOptions, StoreFactory } from './check-options.js';
import { expiryOf } from './event-journal.js';
import { StoreMismatchError } from './mismatch.js';
import { withFreshStore } from './opened-store.js';
import { show } from './same-session.js';
import { USER_HOMES } from './session-universe.js';
import { newSession, START, TICK, USERS } from './session-values.js';

/** A call racing the sweeps, on one of the expired sessions (or, for the listings, its user). */
export type SweepRival = 'get' | 'resolve' | 'create' | 'update' | 'delete' | 'list' | 'listByUser' | 'count';

// Millisecond parts, so a store that rounds cannot pass here either.
const NOW = START + 3 * TICK + 411;
const ABSOLUTE_TIMEOUT = 365 * 24 * 3600 * TICK;
/** When the racing sweeps run: past every deadline of the sessions that expire. */
const AT = NOW + 6 * TICK + 1;

/** The homes the races use: one per user, and three anonymous ones. */
const OWNERS: readonly (string | undefined)[] = [...USERS, undefined, undefined, undefined];

/** The `i`th session of a race: in its owner's home (its own for an anonymous one), expiring at `expiresAt`. */
function raceSession(i: number, tag: string, ttl: number, now: number): Session {
  const owner = OWNERS[i % OWNERS.length];
  const digest = `${tag}${String(i).padStart(3, '0')}_ev3nt-r4ce-digest`.slice(0, 22);
  const home = owner === undefined ? digest.slice(0, 4) : USER_HOMES.get(owner)!;
  return newSession(`${home}.${digest}`, owner, { i }, ttl, now);
}

/** Every event after `after`, read to the end. */
async function readAll(log: SessionEventLog, after: string | undefined, now: number): Promise<SessionEvent[]> {
  const events: SessionEvent[] = [];
  let cursor = after;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = await log.read(cursor, 7, now);
    events.push(...page.events);
    cursor = page.cursor;
    if (page.events.length === 0) return events;
  }
  throw new StoreMismatchError('events.read', 'still reading after 10000 pages');
}

/** The events of one handle, in the order read. */
const eventsOf = (events: readonly SessionEvent[], handle: string) => events.filter((event) => event.sessionId === handle);

/**
 * `count` sessions, most past their deadline, then `sweepers` sweeps racing reads, writes,
 * listings and creates over the expired handles: each expired session yields exactly one
 * `session.expired` (at its deadline, with its version), whoever reclaimed it; a live one none;
 * a create over an expired handle records its `session.created` after that expiry; a write to an
 * expired session (update, delete) records nothing. Then sweeps until one runs dry.
 */
async function racingSweeps(
  store: SessionStore,
  log: SessionEventLog,
  sweepers: number,
  budget: number,
  count: number,
  rivals: readonly SweepRival[],
  recording: 'atomic' | 'after-change',
): Promise<void> {
  const what = `${sweepers} sweeps (budget ${budget}) racing ${rivals.join(', ')} over ${count} sessions`;
  // Every fourth stays live past the race; the others' deadlines spread over the ticks before it.
  const sessions = Array.from({ length: count }, (_, i) => raceSession(i, 'sw', i % 4 === 3 ? 60 * TICK : 1 + ((i * 1531) % (6 * TICK)), NOW));
  for (const session of sessions) {
    if ((await store.create(session, NOW)) !== 'created') throw new StoreMismatchError(`create(${session.id}) before ${what}`, 'expected created');
  }
  const start = await log.tail(NOW);
  const expired = sessions.filter((session) => session.expiresAt <= AT);
  const target = (i: number) => expired[i % Math.max(expired.length, 1)] ?? sessions[0]!;
  // The handles created again; a write racing such a create might land on either session, so
  // those handles are only read.
  const recreated = new Map<string, Session>();
  rivals.forEach((rival, i) => {
    const session = target(i);
    if (rival === 'create') recreated.set(session.id, { ...raceSession(sessions.indexOf(session), 'sw', 60 * TICK, AT), data: { again: true } });
  });
  const calls: (() => Promise<unknown>)[] = Array.from({ length: sweepers }, () => () => log.sweepExpired(AT, budget));
  for (const again of recreated.values()) calls.push(() => store.create(again, AT));
  rivals.forEach((rival, i) => {
    const session = target(i);
    const userId = session.userId ?? USERS[0]!;
    const written = rival === 'update' || rival === 'delete';
    if (rival === 'create' || (written && recreated.has(session.id))) calls.push(() => store.resolve(session.id, AT));
    else if (rival === 'get') calls.push(() => store.get(session.id, AT));
    else if (rival === 'resolve') calls.push(() => store.resolve(session.id, AT));
    else if (rival === 'update') calls.push(() => store.update(session.id, { data: { late: true }, slide: true, absoluteTimeout: ABSOLUTE_TIMEOUT }, AT));
    else if (rival === 'delete') calls.push(() => store.delete(session.id, AT));
    else if (rival === 'list') calls.push(() => store.list({ limit: 2 }, AT));
    else if (rival === 'listByUser') calls.push(() => store.listByUser(userId, { limit: 2 }, AT));
    else calls.push(() => store.countByUser(userId, AT));
  });
  const answers = await Promise.all(calls.map((call) => call()));
  const claims = answers.slice(0, sweepers) as number[];
  if (claims.some((claimed) => !Number.isInteger(claimed) || claimed < 0 || claimed > budget)) {
    throw new StoreMismatchError(what, `sweeps answered ${show(claims)}, not counts within the budget`);
  }
  for (let sweeps = 0; (await log.sweepExpired(AT, budget)) === budget; sweeps++) {
    if (sweeps > count) throw new StoreMismatchError(`sweepExpired after ${what}`, `still claiming after ${sweeps} sweeps`);
  }
  const events = await readAll(log, start, AT);
  for (const session of sessions) {
    const seen = eventsOf(events, session.id);
    const again = recreated.get(session.id);
    const wanted = [
      ...(session.expiresAt <= AT ? [{ ...expiryOf(session), recordedAt: AT }] : []),
      ...(again === undefined ? [] : [{ type: 'session.created', time: AT, sessionId: again.id, userId: again.userId, version: 1 }]),
    ];
    const got = seen.map(({ id: _id, ...rest }) => Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)));
    const expected = wanted.map((event) => Object.fromEntries(Object.entries(event).filter(([, value]) => value !== undefined)));
    // Recorded after the change, the expiry a sweep claimed may follow the create that overtook it.
    const inOrder = (list: readonly Record<string, unknown>[]) => {
      const texts = list.map((event) => show(sorted(event)));
      return recording === 'atomic' ? texts : texts.sort();
    };
    if (show(inOrder(got)) !== show(inOrder(expected))) {
      throw new StoreMismatchError(`events of ${session.id} after ${what}`, `expected ${show(expected)}, got ${show(got)}`);
    }
  }
  const foreign = events.filter((event) => !sessions.some((session) => session.id === event.sessionId));
  if (foreign.length > 0) throw new StoreMismatchError(`events after ${what}`, `events of sessions the race never made: ${show(foreign)}`);
}

/** An object with its keys in order, so two are compared by their JSON text. */
function sorted(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Conditional writes racing on one version (exactly one is written, and exactly its
 * `session.updated` is recorded, none for those that conflicted), then free writes (one event
 * per version, in version order), then conditional deletes racing (one `session.deleted`).
 */
async function racingEventWrites(store: SessionStore, log: SessionEventLog, writers: number): Promise<void> {
  const session = raceSession(0, 'wr', 60 * TICK, NOW);
  if ((await store.create(session, NOW)) !== 'created') throw new StoreMismatchError(`create(${session.id}) before racing writes`, 'expected created');
  const start = await log.tail(NOW);
  const change = (i: number, expectedVersion?: number) => ({
    data: { writer: i },
    cause: i % 2 === 0 ? ('patch' as const) : ('replace' as const),
    ...(expectedVersion === undefined ? {} : { expectedVersion }),
    slide: true,
    absoluteTimeout: ABSOLUTE_TIMEOUT,
  });
  const what = `${writers} racing writes at version 1`;
  const outcomes = await Promise.all(Array.from({ length: writers }, (_, i) => store.update(session.id, change(i, 1), NOW)));
  const winners = outcomes.flatMap((outcome, i) => (typeof outcome === 'object' ? [i] : []));
  if (winners.length !== 1) throw new StoreMismatchError(what, `expected one written, got ${show(outcomes)}`);
  const free = await Promise.all(Array.from({ length: writers }, (_, i) => store.update(session.id, change(i), NOW)));
  const last = 2 + writers;
  const deletes = await Promise.all([last - 1, last, last, last + 1].map((version) => store.delete(session.id, NOW, version)));
  if (deletes.filter((outcome) => outcome === 'deleted').length !== 1) throw new StoreMismatchError(`racing deletes after ${what}`, `expected one deleted, got ${show(deletes)}`);
  const events = eventsOf(await readAll(log, start, NOW), session.id);
  const reasonOf = (i: number) => (i % 2 === 0 ? 'patch' : 'replace');
  const expected = [
    { type: 'session.updated', version: 2, reason: reasonOf(winners[0]!) },
    ...Array.from({ length: writers }, (_, k) => {
      const writer = free.findIndex((outcome) => typeof outcome === 'object' && outcome.version === 3 + k);
      return { type: 'session.updated', version: 3 + k, reason: writer < 0 ? 'none wrote it' : reasonOf(writer) };
    }),
    { type: 'session.deleted', version: last, reason: 'logout' },
  ];
  const got = events.map((event) => ({ type: event.type, version: event.version, reason: event.reason }));
  if (show(got) !== show(expected)) throw new StoreMismatchError(`events of ${what}, then free writes and racing deletes`, `expected ${show(expected)}, got ${show(got)}`);
}

/**
 * For a store with events: sweeps racing each other and every other call that may reclaim an
 * expired session record each expiry exactly once; racing conditional writes record the
 * winner's event only, and no write's event is lost.
 */
export function eventRacesProperty(makeStore: StoreFactory, options: CheckSessionStoreOptions) {
  return fc.asyncProperty(
    fc.integer({ min: 2, max: 5 }),
    fc.integer({ min: 1, max: 4 }),
    fc.integer({ min: 3, max: 16 }),
    fc.array(fc.constantFrom<SweepRival>('get', 'resolve', 'create', 'create', 'update', 'delete', 'list', 'listByUser', 'count'), { minLength: 1, maxLength: 10 }),
    fc.integer({ min: 2, max: 5 }),
    (sweepers, budget, count, rivals, writers) =>
      withFreshStore(makeStore, options, async (store) => {
        const log = store.events;
        if (log === undefined) throw new StoreMismatchError('events', 'the factory made a store without events (it made one with them before)');
        await racingSweeps(store, log, sweepers, budget, count, rivals, options.eventRecording ?? 'atomic');
        await racingEventWrites(store, log, writers);
      }),
  );
}
