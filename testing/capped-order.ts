import { applyChange, evictedBy, evictionsFor, type Session, type SessionLimit, type SessionStore } from '../core/index.js';
import { StoreMismatchError } from './mismatch.js';
import { USER_HOMES } from './session-universe.js';
import { newSession, START, TICK, USERS } from './session-values.js';

const NOW = START + 3 * TICK + 411;
const TTL = 9 * TICK + 7;
const ABSOLUTE_TIMEOUT = 40 * TICK;

/**
 * Which sessions a capped create evicts, in one fixed story that random runs reach only now and
 * then: three sessions of one user created a millisecond apart, the oldest then refreshed (so it
 * is no longer the idlest), then a create under each policy with room for three. Each policy names
 * another session (idlest: the second; oldest: the first; reject: none), and the newest is never
 * the right answer, so a store that evicts by the wrong order is caught on every run.
 */
export async function cappedOrder(store: SessionStore): Promise<void> {
  const userId = USERS[2]!;
  const home = USER_HOMES.get(userId)!;
  const handle = (i: number) => `${home}.c4pOrder_digest_${String(i).padStart(5, '0')}`;
  await store.deleteByUser(userId, NOW); // what the properties before left of this user
  const live = new Map<string, Session>();
  for (let i = 0; i < 3; i++) {
    const session = newSession(handle(i), userId, { device: i }, TTL, NOW + i);
    if ((await store.create(session, NOW + i)) !== 'created') throw new StoreMismatchError(`create(${session.id})`, 'expected created');
    live.set(session.id, session);
  }
  const change = { slide: true, absoluteTimeout: ABSOLUTE_TIMEOUT, touchInterval: 0 };
  const refreshed = await store.update(handle(0), change, NOW + 3);
  if (typeof refreshed === 'string') throw new StoreMismatchError(`update(${handle(0)})`, `expected the session, got ${refreshed}`);
  live.set(handle(0), applyChange(live.get(handle(0))!, change, NOW + 3));

  const policies: readonly SessionLimit['policy'][] = ['evict-idlest', 'evict-oldest', 'reject'];
  for (const [n, policy] of policies.entries()) {
    const at = NOW + 4 + n;
    const limit: SessionLimit = { max: 3, policy };
    const session = newSession(handle(3 + n), userId, { device: 3 + n }, TTL, at);
    const expected = evictionsFor([...live.values()], limit);
    const outcome = await store.create(session, at, { limit });
    const operation = `create(${session.id}, ${policy} max 3) after three sessions of one user, the oldest refreshed`;
    if (expected === 'refused') {
      if (outcome !== 'refused') throw new StoreMismatchError(operation, `expected refused, got ${JSON.stringify(outcome)}`);
      if ((await store.get(session.id, at)) !== undefined) throw new StoreMismatchError(operation, 'a refused create left its session');
      continue;
    }
    const names = expected.map((gone) => gone.id);
    if (evictedBy(outcome)?.join() !== names.join()) {
      throw new StoreMismatchError(operation, `expected created evicting [${names.join(', ')}], got ${JSON.stringify(outcome)}`);
    }
    for (const id of names) {
      if ((await store.get(id, at)) !== undefined) throw new StoreMismatchError(operation, `${id} was evicted but is still live`);
      live.delete(id);
    }
    live.set(session.id, session);
  }
}
