import { describe, expect, test } from 'vitest';
import { encodePageCursor, isSessionHandle, userHome, type Page, type PageRequest } from '../../core/index.js';
import { nodeSha256 } from '../../server/node-sha256.js';
import { checkSessionStore, SessionStoreConformanceError } from '../../testing/index.js';
import { universe, USER_HOMES } from '../../testing/session-universe.js';
import { USERS } from '../../testing/session-values.js';
import fc from 'fast-check';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { PlainSessionStore } from './mutants/plain-session-store.js';
import { WrongReasonEventStore } from './mutants/wrong-reason-event-store.js';
import { ScanLikeStore } from './scan-like-store.js';
import { homeOfUser } from '../support/session-fixtures.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('checkSessionStore', () => {
  test("writes out each user's home as the core computes it, two users sharing one", async () => {
    for (const userId of USERS) expect(await userHome(userId, nodeSha256), userId).toBe(USER_HOMES.get(userId));
    expect(new Set(USER_HOMES.values()).size).toBeLessThan(USERS.length);
  });

  test("the tests' synchronous fixture places users' sessions where the core does", async () => {
    for (const userId of [...USERS, 'user-1', 'alice', '']) expect(homeOfUser(userId), userId).toBe(await userHome(userId, nodeSha256));
  });

  test('names sessions by handles, never UUIDs, with shared digests, shared homes and aliases', () => {
    const names = fc.sample(universe(), { numRuns: 200, seed: 13 });
    const slots = names.flatMap((run) => run.slots);
    expect(slots.every((slot) => isSessionHandle(slot.handle) && !UUID.test(slot.handle))).toBe(true);
    expect(slots.every((slot) => slot.alias === undefined || isSessionHandle(slot.alias))).toBe(true);
    expect(slots.every((slot) => isSessionHandle(slot.stranger) && slot.stranger !== slot.handle)).toBe(true);
    expect(slots.every((slot) => slot.owner === undefined || slot.handle.startsWith(`${USER_HOMES.get(slot.owner)!}.`))).toBe(true);
    const some = (test: (run: (typeof names)[number]) => boolean) => names.filter(test).length;
    // How often a run holds each trap: one digest in two homes, one handle for two owners, an
    // anonymous session in a user's home, an alias that is another slot's handle.
    const digest = (handle: string) => handle.slice(5);
    expect(some((run) => run.slots.some((a) => run.slots.some((b) => a.handle !== b.handle && digest(a.handle) === digest(b.handle))))).toBeGreaterThan(100);
    expect(some((run) => run.slots.some((a) => run.slots.some((b) => a.handle === b.handle && a.owner !== b.owner)))).toBeGreaterThan(20);
    const homes = new Set(USER_HOMES.values());
    expect(some((run) => run.slots.some((a) => a.owner === undefined && homes.has(a.handle.slice(0, 4))))).toBeGreaterThan(50);
    expect(some((run) => run.slots.some((a) => run.slots.some((b) => a.alias !== undefined && a.alias === b.handle)))).toBeGreaterThan(20);
  });

  test('releases every store it makes, whether the factory returns a pair or options.dispose is given', async () => {
    let made = 0;
    let disposed = 0;
    const pair = () => {
      made++;
      return { store: new PlainSessionStore(), dispose: async () => void disposed++ };
    };
    await checkSessionStore(pair, { numRuns: 10 });
    expect(made).toBe(21); // one to see whether it records events (it does not), then ten runs of each property
    expect(disposed).toBe(made);

    made = 0;
    disposed = 0;
    const eventful = () => {
      made++;
      return { store: new MemorySessionStore({ events: true }), dispose: async () => void disposed++ };
    };
    await checkSessionStore(eventful, { numRuns: 10 });
    expect(made).toBe(41); // with events, the events and event-races properties run too
    expect(disposed).toBe(made);

    made = 0;
    disposed = 0;
    const bare = () => {
      made++;
      return new PlainSessionStore();
    };
    await checkSessionStore(bare, { numRuns: 10, dispose: () => void disposed++ });
    expect(disposed).toBe(made);
  });

  test('accepts short and empty pages and cursors that lead only to empty pages (port v2)', async () => {
    await expect(checkSessionStore(() => new ScanLikeStore())).resolves.toBeUndefined();
  });

  test('refuses a listing that never ends', async () => {
    // Where the listing ends, it hands out a cursor that leads to an empty page with itself.
    const sentinel = encodePageCursor(undefined, '____.______________________');
    const endless = () => {
      const store = new PlainSessionStore();
      const list = store.list.bind(store);
      return Object.assign(store, {
        list: async (page: PageRequest, now: number): Promise<Page> => {
          if (page.cursor === sentinel) return { sessions: [], nextCursor: sentinel };
          const answer = await list(page, now);
          return answer.nextCursor === null ? { ...answer, nextCursor: sentinel } : answer;
        },
      });
    };
    await expect(checkSessionStore(endless, { only: 'sequential' })).rejects.toThrow(/still paging after \d+ pages/);
  });

  test('rejects with the shrunk counterexample and options that replay it', async () => {
    // A store whose get always misses: the smallest counterexample is a create and a read (or a
    // handover, which holds both, or a rotation, which reads both handles after it).
    const blind = () => Object.assign(new PlainSessionStore(), { get: async () => undefined });
    const error = await checkSessionStore(blind, { numRuns: 50 }).catch((rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(SessionStoreConformanceError);
    const failure = error as SessionStoreConformanceError;
    expect(failure.message).toMatch(/Counterexample: .*(, *create\(#\d.*\), *(get|sweep|rotate)\(|, *handover\()/);
    expect(failure.message).toContain(`"seed":${failure.seed}`);
    const replay = await checkSessionStore(blind, {
      seed: failure.seed,
      path: failure.path,
      ...(failure.replayPath === undefined ? {} : { replayPath: failure.replayPath }),
      only: failure.property,
    }).catch((rejection: unknown) => rejection);
    expect((replay as SessionStoreConformanceError).numRuns).toBe(1);
    expect((replay as Error).message.split('\n')[1]).toBe(failure.message.split('\n')[1]);
  });

  test('refuses a replay path without its seed and property', async () => {
    await expect(checkSessionStore(() => new PlainSessionStore(), { path: '1:2' })).rejects.toThrow(TypeError);
  });

  test('refuses to run an events property on a store without events', async () => {
    for (const only of ['events', 'event-races'] as const) {
      await expect(checkSessionStore(() => new PlainSessionStore(), { only })).rejects.toThrow(/needs a store with events/);
    }
  });

  test('replays an events failure from the options its message gives', async () => {
    // Every logout reported as a logout everywhere: found by the events property only (the
    // mutants test shows that); here only the replay is at stake, so only that property runs and
    // no shrinking of the other properties' long runs can make the test slow.
    const store = () => new WrongReasonEventStore();
    const error = await checkSessionStore(store, { numRuns: 50, only: 'events' }).catch((rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(SessionStoreConformanceError);
    const failure = error as SessionStoreConformanceError;
    expect(failure.property).toBe('events');
    expect(failure.message).toMatch(/deleteByUser\(.*except/);
    expect(failure.replayPath).toBeDefined();
    const replay = await checkSessionStore(store, { seed: failure.seed, path: failure.path, replayPath: failure.replayPath!, only: 'events' }).catch(
      (rejection: unknown) => rejection,
    );
    expect((replay as SessionStoreConformanceError).numRuns).toBe(1);
    expect((replay as Error).message.split('\n')[1]).toBe(failure.message.split('\n')[1]);
  });
});
