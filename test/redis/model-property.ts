import fc from 'fast-check';
import { expect, test } from 'vitest';
import { applyChange, isLive, type Session, type SessionChange, type SessionStore } from '../../core/index.js';
import { allPages } from '../support/all-pages.js';
import { handleIn, makeSession } from '../support/session-fixtures.js';

/**
 * The store against a model far simpler than it: a Map of sessions, liveness by `now`, writes by
 * the core's applyChange. Listings are compared as sets (each session once), since the store's
 * order (partition, user, handle) is its own. Small, discrete times with millisecond parts.
 */
export function describeRedisModelProperty(fresh: () => SessionStore): void {
  type Op =
    | { op: 'create'; user: number; ttl: number; reuse: number | null }
    | { op: 'get' | 'resolve'; pick: number }
    | { op: 'delete'; pick: number; stale: boolean | null }
    | { op: 'update'; pick: number; stale: boolean | null; slide: boolean; data: boolean; abs: number }
    | { op: 'list'; limit: number }
    | { op: 'listByUser' | 'deleteByUser'; user: number; limit: number }
    | { op: 'tick'; by: number; ms: boolean };
  const pick = fc.nat(30);
  const user = fc.nat(3); // 3: anonymous
  const limit = fc.integer({ min: 1, max: 3 });
  const stale = fc.option(fc.boolean());
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ op: fc.constant('create' as const), user, ttl: fc.integer({ min: 1, max: 5 }), reuse: fc.option(pick) }),
    fc.record({ op: fc.constantFrom('get' as const, 'resolve' as const), pick }),
    fc.record({ op: fc.constant('delete' as const), pick, stale }),
    fc.record({ op: fc.constant('update' as const), pick, stale, slide: fc.boolean(), data: fc.boolean(), abs: fc.integer({ min: 1, max: 12 }) }),
    fc.record({ op: fc.constant('list' as const), limit }),
    fc.record({ op: fc.constantFrom('listByUser' as const, 'deleteByUser' as const), user, limit }),
    fc.record({ op: fc.constant('tick' as const), by: fc.integer({ min: 0, max: 6 }), ms: fc.boolean() }),
  );
  // TTLs of 1-5 s and 7 ms, clock steps of 0-6 s with or without 7 ms: `now` meets deadlines,
  // at millisecond parts, and steps across them.
  const tick = 1000;
  const byId = (a: Session, b: Session): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

  test('any sequence of calls answers what a map of sessions and applyChange say', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const store = fresh();
        const model = new Map<string, Session>();
        const live = (id: string, now: number): Session | undefined => {
          const s = model.get(id);
          return s !== undefined && isLive(s, now) ? s : undefined;
        };
        const ids: string[] = [];
        const idAt = (i: number): string => ids[i % Math.max(ids.length, 1)] ?? handleIn();
        const userOf = (u: number): string | undefined => (u === 3 ? undefined : `u${u}`);
        let now = 1_000_000;
        for (const step of ops) {
          switch (step.op) {
            case 'create': {
              const reused = step.reuse === null ? undefined : model.get(idAt(step.reuse));
              const session = makeSession(now, { userId: userOf(step.user), ttl: step.ttl * tick + 7, data: { at: now } });
              const candidate = reused === undefined ? session : { ...session, id: reused.id, userId: reused.userId };
              const outcome = await store.create(candidate, now);
              // Taken while held, live or expired; an expired one may have been reclaimed already.
              if (reused === undefined || isLive(reused, now)) expect(outcome).toBe(reused === undefined ? 'created' : 'exists');
              if (outcome === 'created') {
                model.set(candidate.id, candidate);
                ids.push(candidate.id);
              }
              break;
            }
            case 'get':
            case 'resolve':
              expect(await store[step.op](idAt(step.pick), now)).toEqual(live(idAt(step.pick), now));
              break;
            case 'delete': {
              const id = idAt(step.pick);
              const current = live(id, now);
              const expected = step.stale === null || current === undefined ? undefined : current.version + (step.stale ? 1 : 0);
              const outcome = current === undefined ? 'missing' : expected !== undefined && expected !== current.version ? 'conflict' : 'deleted';
              expect(await store.delete(id, now, expected)).toBe(outcome);
              if (outcome === 'deleted') model.delete(id);
              break;
            }
            case 'update': {
              const id = idAt(step.pick);
              const current = live(id, now);
              const change: SessionChange = {
                slide: step.slide,
                absoluteTimeout: step.abs * tick,
                ...(step.data ? { data: { written: now } } : {}),
                ...(step.stale === null || current === undefined ? {} : { expectedVersion: current.version + (step.stale ? 1 : 0) }),
              };
              const answer =
                current === undefined ? 'missing' : change.expectedVersion !== undefined && change.expectedVersion !== current.version ? 'conflict' : applyChange(current, change, now);
              expect(await store.update(id, change, now)).toEqual(answer);
              if (typeof answer === 'object') model.set(id, answer);
              break;
            }
            case 'list': {
              const pages = await allPages((cursor) => store.list({ limit: step.limit, cursor }, now));
              expect(pages.flatMap((p) => p.sessions).sort(byId)).toEqual([...model.values()].filter((s) => isLive(s, now)).sort(byId));
              break;
            }
            case 'listByUser': {
              const userId = userOf(step.user) ?? 'nobody';
              const pages = await allPages((cursor) => store.listByUser(userId, { limit: step.limit, cursor }, now));
              const mine = [...model.values()].filter((s) => s.userId === userId && isLive(s, now)).sort(byId);
              expect(pages.flatMap((p) => p.sessions)).toEqual(mine);
              break;
            }
            case 'deleteByUser': {
              const userId = userOf(step.user) ?? 'nobody';
              const mine = [...model.values()].filter((s) => s.userId === userId);
              expect(await store.deleteByUser(userId, now)).toBe(mine.filter((s) => isLive(s, now)).length);
              for (const s of mine) model.delete(s.id);
              break;
            }
            case 'tick':
              now += step.by * tick + (step.ms ? 7 : 0);
              break;
          }
        }
      }),
      { numRuns: 40 },
    );
  });
}
