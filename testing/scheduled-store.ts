import type fc from 'fast-check';
import type { SessionStore } from '../core/index.js';

/**
 * The store with every answer delivered when the scheduler says so, as if each call crossed a
 * network of random latency: a caller may see its answers in any order the calls allow.
 */
export function scheduledStore(scheduler: fc.Scheduler, store: SessionStore): SessionStore {
  const later = <T>(label: string, answer: Promise<T>) => scheduler.schedule(answer, label);
  return {
    create: (session, now, options) => later(`create ${session.id}`, store.create(session, now, options)),
    get: (id, now) => later(`get ${id}`, store.get(id, now)),
    resolve: (handle, now) => later(`resolve ${handle}`, store.resolve(handle, now)),
    update: (id, change, now) => later(`update ${id}@${change.expectedVersion ?? 'any'}`, store.update(id, change, now)),
    rotate: (oldId, next, now, options) => later(`rotate ${oldId}@${next.version - 1} to ${next.id}`, store.rotate(oldId, next, now, options)),
    delete: (id, now, expected) => later(`delete ${id}@${expected ?? 'any'}`, store.delete(id, now, expected)),
    list: (page, now) => later('list', store.list(page, now)),
    listByUser: (userId, page, now) => later(`listByUser ${userId}`, store.listByUser(userId, page, now)),
    deleteByUser: (userId, now, except) => later(`deleteByUser ${userId}`, store.deleteByUser(userId, now, except)),
    countByUser: (userId, now) => later(`countByUser ${userId}`, store.countByUser(userId, now)),
    ping: () => later('ping', store.ping()),
  };
}
