import type fc from 'fast-check';
import {
  applyChange,
  evictedBy,
  rotatedSession,
  rotationGraceEnd,
  SessionService,
  type Rotated,
  type Session,
  type SessionChange,
  type SessionLimit,
  type SessionStore,
} from '../core/index.js';
import { StoreMismatchError } from './mismatch.js';
import { scheduledStore } from './scheduled-store.js';
import { sessionDifference, show } from './same-session.js';
import { USER_HOMES } from './session-universe.js';
import { newSession, START, TICK, USERS } from './session-values.js';

/** A kind of write that can race another on the same session: with new data, or a refresh. */
export type RacingWrite = 'replace' | 'refresh';

// Millisecond parts, so a store that rounds cannot pass here either.
const NOW = START + TICK + 237;
const TTL = 5 * TICK + 11;
const ABSOLUTE_TIMEOUT = 20 * TICK + 3;
const DIGEST = 'r4c3_Digest-0f-a-race0';

/** The race's handle in a user's home, and the alias a caller's token gives it. */
const handleOf = (userId: string) => `${USER_HOMES.get(userId)!}.${DIGEST}`;
const ALIAS = `${DIGEST.slice(0, 4)}.${DIGEST}`;

/**
 * Starts every call at once, so all are in flight together. (Releasing them one by one through
 * the scheduler would let each finish before the next starts: no race at all.)
 */
function race<T>(calls: readonly (() => Promise<T>)[]): Promise<T[]> {
  return Promise.all(calls.map((call) => call()));
}

/** Exactly one of `outcomes` is `created`, the rest `exists`; answers the winner's index. */
function oneCreated(operation: string, outcomes: readonly unknown[]): number {
  const winners = outcomes.flatMap((outcome, i) => (outcome === 'created' ? [i] : []));
  if (winners.length !== 1 || outcomes.some((outcome) => outcome !== 'created' && outcome !== 'exists')) {
    throw new StoreMismatchError(operation, `expected one created and the rest exists, got ${show(outcomes)}`);
  }
  return winners[0]!;
}

/** `count` creates of one handle, each for another user or anonymous: exactly one is created. */
export async function racingCreates(store: SessionStore, count: number): Promise<Session> {
  const handle = handleOf(USERS[0]!);
  const candidates = Array.from({ length: count }, (_, i) =>
    newSession(handle, i % 3 === 2 ? undefined : USERS[i % USERS.length], { creator: i }, TTL, NOW),
  );
  const outcomes = await race(candidates.map((session) => () => store.create(session, NOW)));
  const winner = candidates[oneCreated(`${count} racing creates of one handle`, outcomes)]!;
  await expectStored(store, winner, 'after racing creates');
  return winner;
}

/**
 * `count` creates of sessions with one caller's token for different users: each at its own
 * handle, all with the same alias. The alias can name one session only: exactly one is created,
 * and resolving the alias finds it.
 */
export async function racingAliasCreates(store: SessionStore, count: number): Promise<void> {
  // Users in different homes, so that every handle differs from the others and from the alias.
  const users = [...new Map([...USER_HOMES].map(([userId, home]) => [home, userId])).values()];
  const candidates = Array.from({ length: count }, (_, i) => {
    const userId = users[i % users.length]!;
    return newSession(`${USER_HOMES.get(userId)!}.${DIGEST.slice(0, 21)}${i}`, userId, { creator: i }, TTL, NOW);
  });
  // One alias for all, as one caller's token would bring; the digests differ only so the handles do.
  const outcomes = await race(candidates.map((session) => () => store.create(session, NOW, { alias: ALIAS })));
  const winner = candidates[oneCreated(`${count} racing creates with alias ${ALIAS}`, outcomes)]!;
  const resolved = await store.resolve(ALIAS, NOW);
  const difference = sessionDifference(resolved, winner);
  if (difference !== undefined) throw new StoreMismatchError(`resolve(${ALIAS}) after racing creates with it`, difference);
  await store.delete(winner.id, NOW);
}

/**
 * `count` creates of new sessions of one user racing under `limit`: at most `max` stay live; each
 * create either made its session or (only under `reject`) was refused; exactly `min(count, max)`
 * live at the end; evicted sessions are gone everywhere (get, the user's count and listing), and
 * every session created is either live or evicted by exactly one create.
 */
export async function racingCappedCreates(store: SessionStore, count: number, limit: SessionLimit): Promise<void> {
  const userId = USERS[1]!;
  const what = `${count} racing creates for one user under ${limit.policy} max ${limit.max}`;
  const candidates = Array.from({ length: count }, (_, i) =>
    newSession(`${USER_HOMES.get(userId)!}.${DIGEST.slice(0, 20)}c${i % 10}`.slice(0, 27), userId, { creator: i }, TTL, NOW + (i % 3)),
  );
  await store.deleteByUser(userId, NOW); // what the races before left of this user
  const outcomes = await race(candidates.map((session) => () => store.create(session, session.createdAt, { limit })));
  const made = candidates.filter((_, i) => evictedBy(outcomes[i]!) !== undefined);
  if (outcomes.some((outcome) => evictedBy(outcome) === undefined && (outcome !== 'refused' || limit.policy !== 'reject'))) {
    throw new StoreMismatchError(what, `expected each created (or refused under reject), got ${show(outcomes)}`);
  }
  const expected = Math.min(count, limit.max);
  if (limit.policy === 'reject' && made.length !== expected) throw new StoreMismatchError(what, `expected ${expected} created, got ${show(outcomes)}`);
  const evicted = outcomes.flatMap((outcome) => evictedBy(outcome) ?? []);
  const survivors = made.filter((session) => !evicted.includes(session.id)).map((session) => session.id).sort();
  if (new Set(evicted).size !== evicted.length || evicted.length + survivors.length !== made.length || survivors.length !== expected) {
    throw new StoreMismatchError(what, `expected ${expected} left and each other evicted once, got ${show(outcomes)}`);
  }
  const at = NOW + 2;
  for (const id of evicted) if ((await store.get(id, at)) !== undefined) throw new StoreMismatchError(`get(${id}) after ${what}`, 'an evicted session is live');
  const counted = await store.countByUser(userId, at);
  const listed = (await store.listByUser(userId, { limit: 100 }, at)).sessions.map((session) => session.id).sort();
  if (counted !== expected || listed.join() !== survivors.join()) {
    throw new StoreMismatchError(`countByUser and listByUser after ${what}`, `expected ${show(survivors)}, got ${counted}: ${show(listed)}`);
  }
  await store.deleteByUser(userId, at);
}

/** The change of one racing write: new data with sliding expiry, or a refresh. */
function racingChange(kind: RacingWrite, i: number, expectedVersion: number | undefined): SessionChange {
  return {
    ...(kind === 'replace' ? { data: { writer: i } } : {}),
    ...(expectedVersion === undefined ? {} : { expectedVersion }),
    slide: kind === 'refresh' || i % 2 === 0,
    absoluteTimeout: ABSOLUTE_TIMEOUT,
  };
}

/**
 * Updates racing on one version (exactly one is written, as `applyChange` says, the rest
 * conflict), then the same updates with no version (every one is written, each on what the one
 * before wrote: one atomic step each, so none is lost and no version is answered twice).
 */
export async function racingWrites(store: SessionStore, current: Session, writes: readonly RacingWrite[]): Promise<void> {
  const what = `racing ${writes.join(', ')}`;
  const changes = writes.map((kind, i) => racingChange(kind, i, current.version));
  const outcomes = await race(changes.map((change) => () => store.update(current.id, change, NOW)));
  const written = outcomes.flatMap((outcome, i) => (typeof outcome === 'object' && outcome !== null ? [i] : []));
  if (written.length !== 1 || outcomes.some((outcome) => typeof outcome !== 'object' && outcome !== 'conflict')) {
    throw new StoreMismatchError(`${what} on version ${current.version}`, `expected one written and the rest conflict, got ${show(outcomes)}`);
  }
  const winner = applyChange(current, changes[written[0]!]!, NOW);
  const difference = sessionDifference(outcomes[written[0]!], winner);
  if (difference !== undefined) throw new StoreMismatchError(`${what} on version ${current.version}`, difference);
  await expectStored(store, winner, `after ${what} on version ${current.version}`);

  const free = await race(writes.map((kind, i) => () => store.update(current.id, racingChange(kind, i, undefined), NOW)));
  const versions = free.map((outcome) => (typeof outcome === 'object' && outcome !== null ? outcome.version : outcome));
  const expected = writes.map((_, i) => winner.version + 1 + i);
  if ([...versions].sort((a, b) => Number(a) - Number(b)).join() !== expected.join()) {
    throw new StoreMismatchError(`${what} with no version`, `expected versions ${expected.join(', ')} in any order, got ${show(versions)}`);
  }
  const last = await store.get(current.id, NOW);
  if (last?.version !== winner.version + writes.length) {
    throw new StoreMismatchError(`get after ${what} with no version`, `expected version ${winner.version + writes.length}, got ${show(last)}`);
  }
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
    secrets: { next: () => 'the-secret-of-the-racing-patches-session-0' },
    policy: { defaultTtl: TTL, maxTtl: TTL, absoluteTimeout: ABSOLUTE_TIMEOUT, slidingExpiration: true },
  });
  const { token: _token, evicted: _evicted, ...created } = await scheduler.waitFor(service.create({ userId: USERS[1]!, data: { base: true } }));
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

/** A call racing a rotation on the session it rotates. */
export type RotationRival = 'update' | 'delete' | 'get' | 'resolve';

/**
 * A rotation of one session racing reads and writes of it, started at once in the order given.
 * Whatever the interleaving: a write the rotation did not carry over was refused, never lost (a
 * rotation that answers the new session means no update or delete of the old handle was
 * written); afterwards exactly one of the two handles is live, or neither when a delete won,
 * with exactly the session the winner wrote; the old handle resolves to the new session only
 * within the grace. Reads never see a version the race did not make.
 */
export async function racingRotation(store: SessionStore, rivals: readonly RotationRival[], rotateAt: number, graceMs: number): Promise<void> {
  const userId = USERS[2]!;
  const old = newSession(`${USER_HOMES.get(userId)!}.${DIGEST.slice(0, 21)}o`, userId, { base: true }, TTL, NOW);
  if ((await store.create(old, NOW)) !== 'created') throw new StoreMismatchError('create before a racing rotation', 'expected created');
  const change = { slide: true, absoluteTimeout: ABSOLUTE_TIMEOUT };
  const next = rotatedSession(old, `${USER_HOMES.get(userId)!}.${DIGEST.slice(0, 21)}n`, userId, change, NOW);
  const graceUntil = rotationGraceEnd(next, NOW, graceMs);
  const calls: (() => Promise<unknown>)[] = rivals.map((rival, i) => () => {
    if (rival === 'update') return store.update(old.id, { data: { writer: i }, slide: true, absoluteTimeout: ABSOLUTE_TIMEOUT }, NOW);
    if (rival === 'delete') return store.delete(old.id, NOW);
    return rival === 'get' ? store.get(old.id, NOW) : store.resolve(old.id, NOW);
  });
  const at = Math.min(rotateAt, calls.length);
  calls.splice(at, 0, () => store.rotate(old.id, next, NOW, { graceUntil }));
  const answers = await race(calls);
  const rotated = answers.splice(at, 1)[0];
  const what = `rotate(${old.id}) racing ${rivals.join(', ')} (rotation started #${at})`;
  const wrote = rivals.flatMap((rival, i) => {
    const answer = answers[i];
    return (rival === 'update' && typeof answer === 'object' && answer !== null) || (rival === 'delete' && answer === 'deleted') ? [`${rival} #${i}`] : [];
  });
  const updates = rivals.filter((rival, i) => rival === 'update' && typeof answers[i] === 'object' && answers[i] !== null).length;
  const deleted = rivals.some((rival, i) => rival === 'delete' && answers[i] === 'deleted');
  let oldAfter: Session | undefined;
  let newAfter: Session | undefined;
  if (typeof rotated === 'object' && rotated !== null) {
    if (wrote.length > 0) throw new StoreMismatchError(what, `the rotation answered the new session, and ${wrote.join(', ')} also wrote the old one: lost`);
    const difference = sessionDifference((rotated as Rotated).session, next);
    if (difference !== undefined) throw new StoreMismatchError(what, difference);
    newAfter = next;
  } else if (rotated === 'conflict') {
    if (updates === 0) throw new StoreMismatchError(what, 'the rotation conflicted though no write moved the version');
    if (!deleted) oldAfter = { ...old, version: old.version + updates };
  } else if (rotated === 'missing') {
    if (!deleted) throw new StoreMismatchError(what, 'the rotation found nothing though nothing deleted the session');
  } else {
    throw new StoreMismatchError(what, `expected the new session, conflict or missing, got ${show(rotated)}`);
  }
  for (const [i, rival] of rivals.entries()) {
    const answer = answers[i];
    if (rival !== 'get' && rival !== 'resolve') continue;
    const seen = answer as Session | undefined;
    const fine = seen === undefined || (seen.id === old.id && seen.version <= old.version + updates) || (rival === 'resolve' && graceUntil > NOW && seen.id === next.id);
    if (!fine) throw new StoreMismatchError(what, `${rival} #${i} of the old handle saw ${show(seen)}`);
  }
  const oldNow = await store.get(old.id, NOW);
  const newNow = await store.get(next.id, NOW);
  if ((oldNow === undefined) !== (oldAfter === undefined) || (oldAfter !== undefined && oldNow?.version !== oldAfter.version)) {
    throw new StoreMismatchError(`get(${old.id}) after ${what}`, `expected ${show(oldAfter && `version ${oldAfter.version}`)}, got ${show(oldNow)}`);
  }
  const newDifference = newAfter === undefined ? (newNow === undefined ? undefined : `expected nothing, got ${show(newNow)}`) : sessionDifference(newNow, newAfter);
  if (newDifference !== undefined) throw new StoreMismatchError(`get(${next.id}) after ${what}`, newDifference);
  const resolved = await store.resolve(old.id, NOW);
  const expectedResolve = newAfter !== undefined ? (graceUntil > NOW ? newAfter : undefined) : oldNow;
  const resolveDifference = expectedResolve === undefined ? (resolved === undefined ? undefined : `expected nothing, got ${show(resolved)}`) : sessionDifference(resolved, expectedResolve);
  if (resolveDifference !== undefined) throw new StoreMismatchError(`resolve(${old.id}) after ${what}`, resolveDifference);
  if (newAfter !== undefined && graceUntil > NOW) {
    const after = await store.resolve(old.id, graceUntil);
    if (after !== undefined) throw new StoreMismatchError(`resolve(${old.id}) at the end of the grace after ${what}`, `expected nothing, got ${show(after)}`);
  }
  await store.delete(old.id, NOW);
  await store.delete(next.id, NOW);
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
