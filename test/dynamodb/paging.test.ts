import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePageCursor, InvalidInputError, type Page, type PageRequest, type Session } from '../../core/index.js';
import type { DynamoSessionStore } from '../../adapters/dynamodb/index.js';
import { countRequests, type RequestCounter } from '../support/dynalite-server.js';
import { openDynamoTestStore, type DynamoTestStore } from '../support/dynamo-test-store.js';
import { randomBytes } from 'node:crypto';
import { handleIn, homeOfUser, sessionAt, T0 } from '../support/session-fixtures.js';


let dynamo: DynamoTestStore;
let client: DynamoDBDocumentClient;
let store: DynamoSessionStore;
let requests: RequestCounter;

// One user with many sessions, every third of them expired by NOW, and a few other users.
const NOW = T0 + 30_000;
const USER = 'paging-user';
const mine: Session[] = [];
const others: Session[] = [];

beforeAll(async () => {
  dynamo = await openDynamoTestStore();
  ({ client, store } = dynamo);
  requests = countRequests(client);
  for (let i = 0; i < 40; i++) {
    // Deadlines repeat (i % 7), so the index holds ties that only the id breaks.
    const expiresAt = i % 3 === 0 ? NOW - (i % 7) : NOW + 1 + (i % 7);
    mine.push(sessionAt({ userId: USER, expiresAt }));
  }
  for (let i = 0; i < 12; i++) others.push(sessionAt({ userId: `other-${i % 3}`, expiresAt: i % 4 === 0 ? NOW : NOW + 5 }));
  for (const session of [...mine, ...others]) expect(await store.create(session, T0)).toBe('created');
});

afterAll(() => dynamo?.close());

const liveIds = (sessions: readonly Session[], now: number): string[] =>
  sessions.filter((s) => s.expiresAt > now).map((s) => s.id).sort();

/** Pages to the end; checks every page keeps to its limit. */
async function pageThrough(read: (page: PageRequest) => Promise<Page>, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 500; pages++) {
    const page = await read({ limit, cursor });
    expect(page.sessions.length).toBeLessThanOrEqual(limit);
    ids.push(...page.sessions.map((s) => s.id));
    if (page.nextCursor === null) return ids;
    cursor = page.nextCursor;
  }
  throw new Error('paging did not end');
}

describe('list', () => {
  it.each([1, 2, 3, 7, 1000])('yields every live session exactly once with pages of %i', async (limit) => {
    const ids = await pageThrough((page) => store.list(page, NOW), limit);
    expect(ids.slice().sort()).toEqual(liveIds([...mine, ...others], NOW));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sends one Scan per page', async () => {
    requests.reset();
    const first = await store.list({ limit: 4 }, NOW);
    expect(requests.counts()).toEqual({ Scan: 1 });
    expect(first.nextCursor).not.toBeNull();
  });

  it('ends with a null cursor on a page that holds the rest', async () => {
    const page = await store.list({ limit: 1000 }, NOW);
    expect(page.nextCursor).toBeNull();
  });

  it('is empty when everything has expired', async () => {
    expect(await pageThrough((page) => store.list(page, NOW + 10_000), 5)).toEqual([]);
  });
});

describe('listByUser', () => {
  it.each([1, 2, 5, 26, 1000])('yields each of the user\'s live sessions exactly once with pages of %i', async (limit) => {
    const ids = await pageThrough((page) => store.listByUser(USER, page, NOW), limit);
    expect(ids.slice().sort()).toEqual(liveIds(mine, NOW));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('fills every page but the last, and says exactly when no more follow', async () => {
    const live = liveIds(mine, NOW).length;
    const first = await store.listByUser(USER, { limit: live - 1 }, NOW);
    expect(first.sessions).toHaveLength(live - 1);
    expect(first.nextCursor).not.toBeNull();
    const second = await store.listByUser(USER, { limit: live - 1, cursor: first.nextCursor ?? '' }, NOW);
    expect(second.sessions).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect((await store.listByUser(USER, { limit: live }, NOW)).nextCursor).toBeNull();
  });

  it('sends one Query per page when no expired session is in the way', async () => {
    const user = 'all-live-user';
    for (let i = 0; i < 7; i++) await store.create(sessionAt({ userId: user, expiresAt: NOW + 1 + i }), T0);
    requests.reset();
    const first = await store.listByUser(user, { limit: 3 }, NOW);
    expect(requests.counts()).toEqual({ Query: 1 });
    requests.reset();
    await store.listByUser(user, { limit: 3, cursor: first.nextCursor ?? '' }, NOW);
    expect(requests.counts()).toEqual({ Query: 1 });
  });

  it('reads on past expired sessions to fill a page, reading twice as many each time', async () => {
    const user = 'mostly-expired-user';
    const sessions = Array.from({ length: 30 }, (_, i) => sessionAt({ userId: user, expiresAt: i % 10 === 9 ? NOW + 1 : NOW }));
    for (const session of sessions) await store.create(session, T0);
    requests.reset();
    // 3 live among 30: Queries of 2, 4, 8 and 16 items read all 30 (of 2 + 4 + 8 + 16 = 30).
    const page = await store.listByUser(user, { limit: 1 }, NOW);
    expect(page.sessions).toHaveLength(1);
    expect(requests.counts()['Query']).toBeLessThanOrEqual(4);
    expect(await pageThrough((request) => store.listByUser(user, request, NOW), 1)).toEqual(liveIds(sessions, NOW));
  });

  it('goes on from a cursor whose session has expired since', async () => {
    const first = await store.listByUser(USER, { limit: 2 }, NOW);
    const lastShown = first.sessions.at(-1);
    if (!lastShown) throw new Error('expected a page');
    // By `later` the cursor's session has expired: the rest is what is live then after it, and
    // with the first page that is everyone live then.
    const later = lastShown.expiresAt;
    const rest = await pageThrough(
      (page) => store.listByUser(USER, page.cursor === undefined ? { ...page, cursor: first.nextCursor ?? '' } : page, later),
      3,
    );
    expect(rest.slice().sort()).toEqual(liveIds(mine, later).filter((id) => id > lastShown.id));
    expect(new Set([...first.sessions.map((s) => s.id), ...rest])).toEqual(new Set([...liveIds(mine, later), ...first.sessions.map((s) => s.id)]));
  });

  it('shows each session once when sessions are refreshed and replaced while paging', async () => {
    const user = 'busy-user';
    const sessions = Array.from({ length: 6 }, (_, i) => sessionAt({ userId: user, expiresAt: NOW + 1000 + i }));
    for (const session of sessions) expect(await store.create(session, T0)).toBe('created');
    const versions = new Map(sessions.map((session) => [session.id, session.version]));
    const shown: string[] = [];
    let cursor: string | undefined;
    let now = NOW;
    for (let pages = 0; pages < 20; pages++) {
      const page = await store.listByUser(user, { limit: 2, ...(cursor === undefined ? {} : { cursor }) }, now);
      shown.push(...page.sessions.map((session) => session.id));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
      // Every session is extended past all the others (a refresh of one, a replace of another),
      // which moves it in any order kept by deadline; the clock moves on too.
      now += 1;
      for (const [i, session] of sessions.entries()) {
        const version = versions.get(session.id) ?? 1;
        const expiresAt = now + 10_000 + pages * 100 + i;
        const slide = { expectedVersion: version, slide: true, absoluteTimeout: expiresAt - session.createdAt };
        const outcome = await store.update(session.id, i % 2 === 0 ? slide : { ...slide, data: { page: pages } }, now);
        expect(outcome).toMatchObject({ version: version + 1 });
        versions.set(session.id, version + 1);
      }
    }
    expect(shown.slice().sort()).toEqual(sessions.map((session) => session.id).sort());
  });

  it('is empty for a user without sessions', async () => {
    expect(await store.listByUser('nobody', { limit: 10 }, NOW)).toEqual({ sessions: [], nextCursor: null });
  });
});

describe('maxBytes', () => {
  it('bounds pages of both listings by the bytes of their data, and every session is still reached once', async () => {
    const user = 'large-user';
    // {"blob":"x..."} of 1011 bytes each: three fit in 3100 bytes, a fourth does not.
    const sessions = Array.from({ length: 10 }, () => sessionAt({ userId: user, expiresAt: NOW + 1, data: { blob: 'x'.repeat(1000) } }));
    for (const session of sessions) await store.create(session, T0);
    const bytes = (page: Page) => page.sessions.reduce((sum, s) => sum + Buffer.byteLength(JSON.stringify(s.data)), 0);
    const byUser = await store.listByUser(user, { limit: 1000, maxBytes: 3100 }, NOW);
    expect(byUser.sessions).toHaveLength(3);
    const pages: Page[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listByUser(user, { limit: 1000, maxBytes: 3100, ...(cursor === undefined ? {} : { cursor }) }, NOW);
      pages.push(page);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(pages.flatMap((page) => page.sessions.map((s) => s.id))).toEqual(liveIds(sessions, NOW));
    for (const page of pages) expect(bytes(page)).toBeLessThanOrEqual(3100);
    // The Scan of everyone's sessions keeps to the same bound.
    const everyone: string[] = [];
    cursor = undefined;
    do {
      const page = await store.list({ limit: 1000, maxBytes: 3100, ...(cursor === undefined ? {} : { cursor }) }, NOW);
      expect(bytes(page)).toBeLessThanOrEqual(3100);
      everyone.push(...page.sessions.map((s) => s.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(everyone.filter((id) => sessions.some((s) => s.id === id)).sort()).toEqual(liveIds(sessions, NOW));
    expect(new Set(everyone).size).toBe(everyone.length);
  });
});

describe('cursors', () => {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('refuses tampered list cursors without sending a request', async () => {
    const id = mine[1]?.id;
    const good = (await store.list({ limit: 1 }, NOW)).nextCursor ?? '';
    const [position] = JSON.parse(Buffer.from(good, 'base64url').toString()) as [string];
    const tampered = [
      'not-a-cursor',
      good.slice(0, -2),
      good.slice(0, -1),
      `${good}A`,
      `${good}=`,
      encode(['not-a-handle']),
      encode([{ S: id }]),
      encode([id, USER]),
      encode([position.replace('.', '_')]),
      encode([id, null]),
      encode({ id }),
      encode([]),
      encode(id),
      encode({}),
      Buffer.from(` ["${position}"]`).toString('base64url'),
      Buffer.from(`["\\u00${position.charCodeAt(0).toString(16)}${position.slice(1)}"]`).toString('base64url'),
      Buffer.from(`{"id":"${id}","__proto__":{}}`).toString('base64url'),
      Buffer.from([0x5b, 0x22, 0xff, 0x22, 0x5d]).toString('base64url'),
    ];
    requests.reset();
    for (const cursor of tampered) {
      await expect(store.list({ limit: 5, cursor }, NOW), cursor).rejects.toMatchObject({
        constructor: InvalidInputError,
        field: 'cursor',
      });
    }
    expect(requests.counts()).toEqual({});
  });

  it('refuses tampered user cursors, and cursors of another user, without sending a request', async () => {
    const good = (await store.listByUser(USER, { limit: 1 }, NOW)).nextCursor ?? '';
    const [id] = JSON.parse(Buffer.from(good, 'base64url').toString()) as [string, string];
    const key = { id, userId: USER, expiresAtMs: NOW + 1 };
    const tampered = [
      good.slice(1),
      good.slice(0, -1),
      encode([id, 'other-0']),
      encode([id]),
      encode([id, USER, USER]),
      encode([id, { S: USER }]),
      encode(['x', USER]),
      encode(key),
      encode({ ...key, userId: 'other-0' }),
      encode({ ...key, expiresAtMs: String(key['expiresAtMs']) }),
      encode({ ...key, expiresAtMs: 1.5 }),
      encode({ ...key, expiresAtMs: -1 }),
      encode({ ...key, id: 'x' }),
      encode({ ...key, extra: true }),
      encode({ id: key['id'] }),
      encode({ ...key, userId: { S: USER } }),
    ];
    requests.reset();
    for (const cursor of tampered) {
      await expect(store.listByUser(USER, { limit: 5, cursor }, NOW), cursor).rejects.toMatchObject({
        constructor: InvalidInputError,
        field: 'cursor',
      });
    }
    // A user's cursor is refused for another user, and a list cursor for a user listing.
    const listCursor = (await store.list({ limit: 1 }, NOW)).nextCursor ?? '';
    await expect(store.listByUser('other-0', { limit: 5, cursor: good }, NOW)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(store.listByUser(USER, { limit: 5, cursor: listCursor }, NOW)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(store.list({ limit: 5, cursor: good }, NOW)).rejects.toBeInstanceOf(InvalidInputError);
    // A cursor of this user's listing that names a handle outside the user's home: DynamoDB
    // would refuse it as a start key (a 503 for a client's bad input), so the store refuses it.
    const elsewhere = encodePageCursor(USER, handleIn(homeOfUser(`${USER}-not`)));
    await expect(store.listByUser(USER, { limit: 5, cursor: elsewhere }, NOW)).rejects.toMatchObject({
      constructor: InvalidInputError,
      field: 'cursor',
    });
    expect(requests.counts()).toEqual({ Scan: 1 });
  });
});

describe('deleteByUser', () => {
  it('deletes all of a user\'s sessions, one DeleteItem each, and counts the live ones', async () => {
    const user = 'bulk-user';
    const sessions = Array.from({ length: 60 }, (_, i) =>
      sessionAt({ userId: user, expiresAt: i % 4 === 0 ? NOW : NOW + 1 + i }),
    );
    for (const session of sessions) await store.create(session, T0);
    requests.reset();
    expect(await store.deleteByUser(user, NOW)).toBe(liveIds(sessions, NOW).length);
    // 60 items: one Query page, then one DeleteItem each (live or expired).
    expect(requests.counts()).toEqual({ Query: 1, DeleteItem: 60 });
    expect(await store.listByUser(user, { limit: 100 }, T0)).toEqual({ sessions: [], nextCursor: null });
    for (const session of sessions) expect(await store.get(session.id, T0)).toBeUndefined();
    expect(await store.deleteByUser(user, NOW)).toBe(0);
    // Other users' sessions are untouched.
    expect((await store.listByUser('other-1', { limit: 100 }, NOW)).sessions.length).toBeGreaterThan(0);
  });
});
