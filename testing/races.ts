import type fc from 'fast-check';
import { SessionService, type Session, type SessionStore } from '../core/index.js';
import { StoreMismatchError } from './mismatch.js';
import { scheduledStore } from './scheduled-store.js';
import { sessionDifference, show } from './same-session.js';
import { newSession, SESSION_IDS, START, TICK, USERS } from './session-values.js';

/** A kind of conditional write that can race another on the same version. */
export type RacingWrite = 'replace' | 'refresh';

const NOW = START + TICK;

/**
 * Starts every call at once, so all are in flight together. (Releasing them one by one through
 * the scheduler would let each finish before the next starts: no race at all.)
 */
function race<T>(calls: readonly (() => Promise<T>)[]): Promise<T[]> {
  return Promise.all(calls.map((call) => call()));
}

/** `count` creates of one id, each for another user: exactly one is created. */
export async function racingCreates(store: SessionStore, count: number): Promise<Session> {
  const candidates = Array.from({ length: count }, (_, i) =>
    newSession(SESSION_IDS[0]!, USERS[i % USERS.length]!, { creator: i }, 5 * TICK, NOW),
  );
  const outcomes = await race(candidates.map((session) => () => store.create(session, NOW)));
  const winners = outcomes.flatMap((outcome, i) => (outcome === 'created' ? [i] : []));
  if (winners.length !== 1 || outcomes.some((outcome) => outcome !== 'created' && outcome !== 'exists')) {
    throw new StoreMismatchError(`${count} racing creates of one id`, `expected one created and the rest exists, got ${show(outcomes)}`);
  }
  const winner = candidates[winners[0]!]!;
  await expectStored(store, winner, 'after racing creates');
  return winner;
}

/** Replaces and refreshes racing on one version: exactly one is written, the rest conflict. */
export async function racingWrites(
  store: SessionStore,
  current: Session,
  writes: readonly RacingWrite[],
): Promise<void> {
  const results: Session[] = writes.map((kind, i) =>
    kind === 'replace'
      ? { ...current, data: { writer: i }, updatedAt: NOW, version: current.version + 1 }
      : { ...current, expiresAt: NOW + (6 + i) * TICK, updatedAt: NOW, version: current.version + 1 },
  );
  const calls = writes.map((kind, i) => () => {
    const next = results[i]!;
    return kind === 'replace'
      ? store.replace(next, current.version, NOW)
      : store.refresh(
          next.id,
          { expectedVersion: current.version, expiresAt: next.expiresAt, updatedAt: next.updatedAt },
          NOW,
        );
  });
  const outcomes = await race(calls);
  const winners = outcomes.flatMap((outcome, i) => (outcome === 'written' ? [i] : []));
  if (winners.length !== 1 || outcomes.some((outcome) => outcome !== 'written' && outcome !== 'conflict')) {
    throw new StoreMismatchError(
      `racing ${writes.join(', ')} on version ${current.version}`,
      `expected one written and the rest conflict, got ${show(outcomes)}`,
    );
  }
  await expectStored(store, results[winners[0]!]!, `after racing ${writes.join(', ')}`);
}

/**
 * `count` merge patches through the core's service, each adding its own key. Every store answer
 * is delivered when the scheduler says, so the service's read-merge-write retries interleave in
 * any order: none is lost, and each patch made exactly one version.
 */
export async function racingPatches(scheduler: fc.Scheduler, store: SessionStore, count: number): Promise<void> {
  const service = new SessionService({
    store: scheduledStore(scheduler, store),
    clock: { now: () => NOW },
    ids: { next: () => SESSION_IDS[1]! },
    policy: { defaultTtl: 5 * TICK, maxTtl: 5 * TICK, absoluteTimeout: 10 * TICK, slidingExpiration: true },
  });
  const created = await scheduler.waitFor(service.create({ userId: USERS[1]!, data: { base: true } }));
  const patches = Array.from({ length: count }, (_, i) => () => service.patch(created.id, { [`k${i}`]: i }));
  const settled = await scheduler.waitFor(
    Promise.allSettled(patches.map((patch, i) => scheduler.schedule(Promise.resolve(), `patch #${i}`).then(patch))),
  );
  const failed = settled.flatMap((result, i) => (result.status === 'rejected' ? [`#${i}: ${String(result.reason)}`] : []));
  if (failed.length > 0) throw new StoreMismatchError(`${count} racing patches`, `some failed: ${failed.join('; ')}`);
  const data: Record<string, unknown> = { base: true };
  for (let i = 0; i < count; i++) data[`k${i}`] = i;
  const expected: Session = { ...created, data: data as Session['data'], version: 1 + count };
  await expectStored(store, expected, `after ${count} racing patches`, ['updatedAt', 'expiresAt']);
}

/** The store holds `expected` (apart from the fields named in `loose`, which the core decides). */
async function expectStored(
  store: SessionStore,
  expected: Session,
  when: string,
  loose: readonly (keyof Session)[] = [],
): Promise<void> {
  const actual = await store.get(expected.id, NOW);
  const comparable =
    actual === undefined ? actual : { ...actual, ...Object.fromEntries(loose.map((name) => [name, expected[name]])) };
  const difference =
    comparable === undefined ? `expected ${show(expected)}, got nothing` : sessionDifference(comparable, expected);
  if (difference !== undefined) throw new StoreMismatchError(`get ${when}`, difference);
}
