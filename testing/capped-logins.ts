import { applyChange, evictedBy, evictionsFor, rotatedSession, type Session, type SessionLimit, type SessionStore } from '../core/index.js';
import { StoreMismatchError } from './mismatch.js';
import { show, sessionDifference } from './same-session.js';
import { USER_HOMES } from './session-universe.js';
import { newSession, START, TICK, USERS } from './session-values.js';

// Millisecond parts, as everywhere in the suite.
const NOW = START + 2 * TICK + 517;
const TTL = 6 * TICK + 13;
const CHANGE = { slide: true, absoluteTimeout: 30 * TICK + 1 };

/** A handle in `home` whose digest starts with `text` (22 characters of it, padded). */
const handleIn = (home: string, text: string) => `${home}.${text.padEnd(22, '_').slice(0, 22)}`;

/** What one login or create of the race is to write. */
interface Contender {
  readonly what: string;
  readonly next: Session;
  /** The anonymous session a login rotates; `undefined` for a create. */
  readonly old: Session | undefined;
}

/**
 * `logins` rotations binding anonymous sessions to one user (the login case, issue 14) racing
 * `creates` creates of that user's sessions, all under `limit`. The anonymous sessions live in
 * homes of their own, one in the user's home (so a cluster rotates both in one script and across
 * slots, with its pending write). Whatever the interleaving: at most `max` of the user's sessions
 * are live at the end, exactly `min(logins + creates, max)`; every login and create either
 * wrote its session or (only under `reject`) was refused; a refused login leaves its anonymous
 * session as it was, a login that wrote leaves it gone; evicted sessions are gone everywhere (get,
 * the user's count and listing), each evicted by one call only, and never a session of another
 * user sharing the home.
 */
export async function racingCappedLogins(store: SessionStore, logins: number, creates: number, limit: SessionLimit): Promise<void> {
  const userId = USERS[3]!;
  const home = USER_HOMES.get(userId)!;
  // Another user in the same home: the cap must count and evict only this user's sessions.
  const neighbour = USERS.find((other) => other !== userId && USER_HOMES.get(other) === home)!;
  const what = `${logins} logins racing ${creates} creates for one user under ${limit.policy} max ${limit.max}`;
  await store.deleteByUser(userId, NOW); // what the races before left of these users
  await store.deleteByUser(neighbour, NOW);
  const bystander = newSession(handleIn(home, 'n3ighbour'), neighbour, { neighbour: true }, TTL, NOW - 9);
  if ((await store.create(bystander, NOW - 9)) !== 'created') throw new StoreMismatchError(`create before ${what}`, 'expected created');

  const contenders: Contender[] = [];
  for (let i = 0; i < logins; i++) {
    // The last character of the home moves the partition (a cluster slot); the first login stays home.
    const oldHome = i === 0 ? home : `l0g${'ABCDEFGH'[i]}`;
    const old = newSession(handleIn(oldHome, `${i}_anonymous_b4_l0gin`), undefined, { cart: [i] }, TTL, NOW - 7 + i);
    if ((await store.create(old, old.createdAt)) !== 'created') throw new StoreMismatchError(`create before ${what}`, 'expected created');
    const next = rotatedSession(old, handleIn(home, `${i}_l0gged_in`), userId, CHANGE, NOW);
    contenders.push({ what: `login #${i} (rotate ${old.id} to ${next.id})`, next, old });
  }
  for (let i = 0; i < creates; i++) {
    const next = newSession(handleIn(home, `${i}_created_racing`), userId, { creator: i }, TTL, NOW - 5 + 3 * i);
    contenders.push({ what: `create #${i} (${next.id})`, next, old: undefined });
  }

  // Every call started at once, so all are in flight together.
  const answers = await Promise.all(
    contenders.map(({ next, old }, i) =>
      old === undefined
        ? store.create(next, NOW, { limit }).then((outcome) => ({ written: evictedBy(outcome), outcome }))
        : store.rotate(old.id, next, NOW, { graceUntil: i % 2 === 0 ? NOW : NOW + TICK, limit }).then((outcome) => ({
            written: typeof outcome === 'object' ? outcome.evicted : undefined,
            outcome,
          })),
    ),
  );
  for (const [i, { outcome, written }] of answers.entries()) {
    const contender = contenders[i]!;
    if (written === undefined && (outcome !== 'refused' || limit.policy !== 'reject')) {
      throw new StoreMismatchError(what, `${contender.what}: expected it written (or refused under reject), got ${show(outcome)}`);
    }
    if (contender.old !== undefined && typeof outcome === 'object') {
      const difference = sessionDifference((outcome as { session: Session }).session, contender.next);
      if (difference !== undefined) throw new StoreMismatchError(`${contender.what} in ${what}`, difference);
    }
  }

  const made = contenders.filter((_, i) => answers[i]!.written !== undefined).map(({ next }) => next.id);
  const evicted = answers.flatMap(({ written }) => written ?? []);
  const expected = Math.min(contenders.length, limit.max);
  const survivors = made.filter((id) => !evicted.includes(id)).sort();
  const shown = show(answers.map(({ outcome }) => outcome));
  if (limit.policy === 'reject' && made.length !== expected) throw new StoreMismatchError(what, `expected ${expected} written, got ${shown}`);
  if (new Set(evicted).size !== evicted.length || evicted.some((id) => !made.includes(id)) || survivors.length !== expected) {
    throw new StoreMismatchError(what, `expected ${expected} left and each other written session evicted once, got ${shown}`);
  }

  const at = NOW + 1;
  for (const id of evicted) if ((await store.get(id, at)) !== undefined) throw new StoreMismatchError(`get(${id}) after ${what}`, 'an evicted session is live');
  for (const [i, { old, next }] of contenders.entries()) {
    if (old === undefined) continue;
    const left = await store.get(old.id, at);
    const wrote = answers[i]!.written !== undefined;
    if (wrote ? left !== undefined : sessionDifference(left, old) !== undefined) {
      throw new StoreMismatchError(`get(${old.id}) after ${what}`, `login to ${next.id} ${wrote ? 'wrote' : 'was refused'}, and the anonymous session is ${show(left)}`);
    }
  }
  const counted = await store.countByUser(userId, at);
  const listed = (await store.listByUser(userId, { limit: 100 }, at)).sessions.map((session) => session.id).sort();
  if (counted !== expected || listed.join() !== survivors.join()) {
    throw new StoreMismatchError(`countByUser and listByUser after ${what}`, `expected ${show(survivors)}, got ${counted}: ${show(listed)}`);
  }
  const kept = await store.get(bystander.id, at);
  if (sessionDifference(kept, bystander) !== undefined) throw new StoreMismatchError(`get(${bystander.id}) after ${what}`, `another user's session in the home is ${show(kept)}`);

  await store.deleteByUser(userId, at);
  await store.deleteByUser(neighbour, at);
  for (const { old } of contenders) if (old !== undefined) await store.delete(old.id, at);
}

/**
 * Which sessions capped rotations evict, in one fixed story that random runs reach only now and
 * then: two sessions of one user (the older then refreshed, so the other is the idlest), and
 * two anonymous sessions. (1) The user rotates their own idlest session under `reject` with room
 * for two: it replaces itself, so nothing is evicted and nothing refused. (2) A login under
 * `evict-idlest` evicts the refreshed one, now the idlest. (3) A login under `reject` is refused
 * and its anonymous session stays. (4) The same login under `evict-oldest` evicts by createdAt,
 * which a rotation keeps. Each answer is the core's `evictionsFor` over the user's other sessions.
 */
export async function cappedLoginOrder(store: SessionStore): Promise<void> {
  const userId = USERS[2]!;
  const home = USER_HOMES.get(userId)!;
  await store.deleteByUser(userId, NOW); // what the properties before left of this user
  const live = new Map<string, Session>();
  for (let i = 0; i < 2; i++) {
    const session = newSession(handleIn(home, `${i}_l0gin_0rder`), userId, { device: i }, TTL, NOW + i);
    if ((await store.create(session, NOW + i)) !== 'created') throw new StoreMismatchError(`create(${session.id})`, 'expected created');
    live.set(session.id, session);
  }
  const [first, second] = [...live.values()] as [Session, Session];
  const touch = { slide: true, absoluteTimeout: CHANGE.absoluteTimeout, touchInterval: 0 };
  if (typeof (await store.update(first.id, touch, NOW + 2)) === 'string') throw new StoreMismatchError(`update(${first.id})`, 'expected the session');
  live.set(first.id, applyChange(first, touch, NOW + 2));
  const anonymous = [0, 1].map((i) => newSession(handleIn(`l0g${'XY'[i]}`, `${i}_l0gin_0rder_anon`), undefined, { cart: [i] }, TTL, NOW + 3 + i));
  for (const session of anonymous) {
    if ((await store.create(session, session.createdAt)) !== 'created') throw new StoreMismatchError(`create(${session.id})`, 'expected created');
  }

  const steps: readonly [Session, string, SessionLimit['policy']][] = [
    [second, `${home}.own_r0tati0n_0f_the_idlest`.slice(0, 27), 'reject'],
    [anonymous[0]!, handleIn(home, '0_l0gin_0rder_in'), 'evict-idlest'],
    [anonymous[1]!, handleIn(home, '1_l0gin_0rder_in'), 'reject'],
    [anonymous[1]!, handleIn(home, '1_l0gin_0rder_in'), 'evict-oldest'],
  ];
  for (const [n, [old, id, policy]] of steps.entries()) {
    const at = NOW + 5 + n;
    const limit: SessionLimit = { max: 2, policy };
    const next = rotatedSession(old, id, userId, CHANGE, at);
    const expected = evictionsFor([...live.values()].filter((session) => session.id !== old.id), limit);
    const outcome = await store.rotate(old.id, next, at, { graceUntil: at, limit });
    const operation = `rotate(${old.id} to ${id}, ${policy} max 2), step ${n + 1} of a fixed story of capped rotations`;
    if (expected === 'refused') {
      if (outcome !== 'refused') throw new StoreMismatchError(operation, `expected refused, got ${show(outcome)}`);
      if (sessionDifference(await store.get(old.id, at), old) !== undefined) throw new StoreMismatchError(operation, 'a refused rotation changed the old session');
      continue;
    }
    const names = expected.map((gone) => gone.id);
    if (typeof outcome !== 'object' || outcome.evicted.join() !== names.join()) {
      throw new StoreMismatchError(operation, `expected rotated evicting [${names.join(', ')}], got ${show(outcome)}`);
    }
    for (const gone of names) {
      if ((await store.get(gone, at)) !== undefined) throw new StoreMismatchError(operation, `${gone} was evicted but is still live`);
      live.delete(gone);
    }
    live.delete(old.id);
    live.set(next.id, next);
  }
  await store.deleteByUser(userId, NOW + 9);
}
