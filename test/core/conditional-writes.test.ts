import { beforeEach, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import {
  createSessionService,
  InvalidInputError,
  SessionNotFoundError,
  VersionConflictError,
  type SessionService,
  type SessionStore,
} from '../../core/index.js';
import { countingStore, type CountingStore } from '../support/counting-store.js';
import { ManualClock } from '../support/manual-clock.js';

/**
 * A memory store that lets another writer in just before the next conditional write (replace,
 * refresh or delete) reaches it: the race a read-check-write must survive.
 */
function racingStore(inner: MemorySessionStore): { store: SessionStore; before(write: () => Promise<unknown>): void } {
  let pending: (() => Promise<unknown>) | undefined;
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (pending && (property === 'update' || property === 'delete')) {
          const write = pending;
          pending = undefined;
          await write();
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, before: (write) => (pending = write) };
}

describe('conditional writes: one expected version or a list of them', () => {
  let clock: ManualClock;
  let memory: MemorySessionStore;
  let counting: CountingStore;
  let service: SessionService;
  beforeEach(() => {
    clock = new ManualClock();
    memory = new MemorySessionStore();
    counting = countingStore(memory);
    service = createSessionService({ store: counting.store, clock, policy: { touchInterval: 0 } });
  });

  it('delete with the current version deletes in one store call', async () => {
    const session = await service.create({ userId: 'alice' });
    counting.reset();
    await service.delete(session.id, { expectedVersion: 1 });
    expect(Object.fromEntries(counting.calls)).toEqual({ delete: 1 });
    await expect(service.get(session.id)).rejects.toBeInstanceOf(SessionNotFoundError);
  });

  it('delete with another version refuses, names the version the session is at, and keeps it', async () => {
    const session = await service.create({ userId: 'alice', data: { a: 1 } });
    await service.patch(session.id, { b: 2 });
    const refused = await service.delete(session.id, { expectedVersion: 1 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(VersionConflictError);
    expect(refused).toMatchObject({ expected: 1, actual: 2, message: 'expected version 1, the session is at version 2' });
    expect((await service.get(session.id)).data).toEqual({ a: 1, b: 2 });
    await expect(service.delete(session.id, { expectedVersion: 3 })).rejects.toMatchObject({ actual: 2 });
    await service.delete(session.id, { expectedVersion: 2 });
    await expect(service.delete(session.id, { expectedVersion: 2 })).rejects.toBeInstanceOf(SessionNotFoundError);
  });

  it('delete without options still deletes whatever the version', async () => {
    const session = await service.create({ userId: 'alice' });
    await service.refresh(session.id);
    await service.delete(session.id);
    await expect(service.delete(session.id)).rejects.toBeInstanceOf(SessionNotFoundError);
  });

  it('replace, patch, refresh and delete accept a list: any listed version will do', async () => {
    const session = await service.create({ userId: 'alice' });
    expect((await service.replace(session.id, { r: 1 }, { expectedVersion: [7, 1] })).version).toBe(2);
    expect((await service.patch(session.id, { p: 1 }, { expectedVersion: [1, 2] })).version).toBe(3);
    expect((await service.refresh(session.id, { expectedVersion: [3, 9] })).version).toBe(4);
    expect((await service.get(session.id)).data).toEqual({ r: 1, p: 1 });
    await service.delete(session.id, { expectedVersion: [2, 4] });
    await expect(service.get(session.id)).rejects.toBeInstanceOf(SessionNotFoundError);
  });

  it('a list none of whose versions the session is at is refused by every write', async () => {
    const session = await service.create({ userId: 'alice', data: { keep: true } });
    const expectedVersion = [2, 3] as const;
    for (const write of [
      () => service.replace(session.id, {}, { expectedVersion }),
      () => service.patch(session.id, { x: 1 }, { expectedVersion }),
      () => service.refresh(session.id, { expectedVersion }),
      () => service.delete(session.id, { expectedVersion }),
    ]) {
      const refused = await write().catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(VersionConflictError);
      expect(refused).toMatchObject({ expected: [2, 3], actual: 1, message: 'expected version 2 or 3, the session is at version 1' });
    }
    const { token: _token, evicted: _evicted, ...stored } = session;
    expect(await service.get(session.id)).toEqual(stored);
  });

  it('an empty list or a version that is not a positive whole number is refused before any store call', async () => {
    const session = await service.create({ userId: 'alice' });
    for (const expectedVersion of [[], [1, 0], [1.5], [Number.NaN], 0, -1] as const) {
      counting.reset();
      await expect(service.delete(session.id, { expectedVersion })).rejects.toBeInstanceOf(InvalidInputError);
      await expect(service.replace(session.id, {}, { expectedVersion })).rejects.toBeInstanceOf(InvalidInputError);
      expect(counting.total()).toBe(0);
    }
  });
});

describe('conditional writes racing another writer', () => {
  let racing: ReturnType<typeof racingStore>;
  let memory: MemorySessionStore;
  let service: SessionService;
  let other: SessionService;
  beforeEach(() => {
    const clock = new ManualClock();
    memory = new MemorySessionStore();
    racing = racingStore(memory);
    service = createSessionService({ store: racing.store, clock });
    other = createSessionService({ store: memory, clock });
  });

  it('delete with a list: a write in between to a listed version is deleted after a re-read', async () => {
    const session = await service.create({ userId: 'alice' });
    racing.before(() => other.patch(session.id, { late: true }));
    await service.delete(session.id, { expectedVersion: [1, 2] });
    await expect(other.get(session.id)).rejects.toBeInstanceOf(SessionNotFoundError);
  });

  it('delete with a list: a write in between to an unlisted version survives, and the refusal says so', async () => {
    const session = await service.create({ userId: 'alice' });
    racing.before(() => other.patch(session.id, { late: true }));
    await expect(service.delete(session.id, { expectedVersion: [1, 3] })).rejects.toMatchObject({ actual: 2 });
    expect(await other.get(session.id)).toMatchObject({ version: 2, data: { late: true } });
  });

  it('delete with one version: a write in between survives', async () => {
    const session = await service.create({ userId: 'alice' });
    racing.before(() => other.patch(session.id, { late: true }));
    await expect(service.delete(session.id, { expectedVersion: 1 })).rejects.toMatchObject({ expected: 1, actual: 2 });
    expect(await other.get(session.id)).toMatchObject({ version: 2, data: { late: true } });
  });

  it('replace with a list: a write in between to a listed version is replaced, never lost unseen', async () => {
    const session = await service.create({ userId: 'alice' });
    racing.before(() => other.patch(session.id, { late: true }));
    const replaced = await service.replace(session.id, { mine: true }, { expectedVersion: [1, 2] });
    expect(replaced).toMatchObject({ version: 3, data: { mine: true } });
    racing.before(() => other.patch(session.id, { later: true }));
    await expect(service.patch(session.id, { x: 1 }, { expectedVersion: [3, 5] })).rejects.toMatchObject({ actual: 4 });
    expect((await other.get(session.id)).data).toEqual({ mine: true, later: true });
  });
});
