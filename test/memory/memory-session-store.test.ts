import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { InvalidInputError, type Session } from '../../core/index.js';
import { allPages, idsOf } from '../support/all-pages.js';
import { makeSession } from '../support/session-fixtures.js';

/** A session of `userId` created at 0 and expiring at `expiresAt`. */
const session = (userId: string, expiresAt: number, overrides: Partial<Session> = {}): Session =>
  makeSession(0, { userId, expiresAt, ttl: expiresAt, ...overrides });

describe('MemorySessionStore', () => {
  it('pages through every live session exactly once, skipping expired ones', async () => {
    const store = new MemorySessionStore({ reclaimBudget: 0 });
    const live: string[] = [];
    for (let i = 0; i < 57; i++) {
      const s = session(i % 3 === 0 ? 'u1' : 'u2', i % 4 === 0 ? 10 : 100);
      await store.create(s, 0);
      if (i % 4 !== 0) live.push(s.id);
    }
    for (const limit of [1, 2, 7, 100]) {
      const ids = idsOf(await allPages((cursor) => store.list({ limit, cursor }, 10)));
      expect(ids).toHaveLength(live.length);
      expect(new Set(ids)).toEqual(new Set(live));
    }
    const u1 = idsOf(await allPages((cursor) => store.listByUser('u1', { limit: 3, cursor }, 10)));
    expect(new Set(u1).size).toBe(u1.length);
    expect(u1.length).toBeGreaterThan(0);
  });

  // Thousands of sessions, so the listing's chunks (1024 each) compact and merge under the walk.
  it('lists each session that stays live exactly once while pages are walked during writes', async () => {
    const store = new MemorySessionStore();
    const all: Session[] = [];
    const create = async (): Promise<void> => {
      const s = session(`u${all.length % 7}`, 1_000);
      all.push(s);
      await store.create(s, 0);
    };
    for (let i = 0; i < 6000; i++) await create();
    const kept = new Set(all.filter((_, i) => i % 5 === 0).map((s) => s.id));
    const deleted = new Set<string>();
    const seen: string[] = [];
    const shown = new Set<string>();
    let cursor: string | undefined;
    for (let pages = 0; pages < 1000; pages++) {
      const page = await store.list({ limit: 200, cursor }, 0);
      for (const s of page.sessions) {
        seen.push(s.id);
        shown.add(s.id);
      }
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
      // Between pages: delete most of what is not kept, behind and ahead of the cursor; rewrite a
      // kept one (its place must not move); create more.
      for (const s of all.slice(pages * 300, pages * 300 + 600)) {
        if (kept.has(s.id) || deleted.has(s.id)) continue;
        deleted.add(s.id);
        expect(await store.delete(s.id, 0)).toBe('deleted');
      }
      const change = { data: { rewritten: true }, slide: false, absoluteTimeout: Number.MAX_SAFE_INTEGER };
      const ahead = all.find((s) => kept.has(s.id) && !shown.has(s.id));
      for (const rewritten of [ahead, page.sessions.at(-1)]) {
        if (rewritten && !deleted.has(rewritten.id)) expect(await store.update(rewritten.id, change, 0)).not.toBe('missing');
      }
      if (pages < 20) for (let i = 0; i < 50; i++) await create();
    }
    expect(shown.size).toBe(seen.length);
    for (const id of kept) expect(shown.has(id)).toBe(true);
  });

  it('answers the last page with a null cursor, never an empty extra page', async () => {
    const store = new MemorySessionStore();
    for (let i = 0; i < 4; i++) await store.create(session('u', 100), 0);
    const first = await store.list({ limit: 2 }, 0);
    expect(first.nextCursor).not.toBeNull();
    const second = await store.list({ limit: 2, cursor: first.nextCursor ?? '' }, 0);
    expect(second.sessions).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
  });

  it('rejects cursors it did not issue', async () => {
    const store = new MemorySessionStore();
    for (const cursor of ['AAAA', 'bm90LWEtdXVpZA', Buffer.from('00000000-0000-4000-8000-000000000000x').toString('base64url')]) {
      await expect(store.list({ limit: 1, cursor }, 0)).rejects.toBeInstanceOf(InvalidInputError);
    }
  });

  it('reclaims expired sessions as it is used, with no timer', async () => {
    const store = new MemorySessionStore({ reclaimBudget: 4 });
    for (let tick = 0; tick < 10_000; tick++) await store.create(session('churn', tick + 1), tick);
    // Each call reclaims up to four expired sessions, so churn leaves almost nothing behind.
    expect(store.size).toBeLessThanOrEqual(2);
  });

  it('deleteByUser counts only live sessions and leaves other users alone', async () => {
    const store = new MemorySessionStore({ reclaimBudget: 0 });
    await store.create(session('a', 5), 0);
    await store.create(session('a', 50), 0);
    const b = session('b', 50);
    await store.create(b, 0);
    expect(await store.deleteByUser('a', 10)).toBe(1);
    expect((await store.listByUser('a', { limit: 10 }, 10)).sessions).toEqual([]);
    expect((await store.get(b.id, 10))?.id).toBe(b.id);
  });

  it('keeps __proto__ keys as data', async () => {
    const store = new MemorySessionStore();
    const s = session('p', 10, { data: JSON.parse('{"__proto__":{"x":1}}') });
    await store.create(s, 0);
    const read = await store.get(s.id, 0);
    expect(Object.getOwnPropertyNames(read?.data)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
