import { randomBytes } from 'node:crypto';
import { Cookie } from 'express-session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session, SessionStore } from '../../core/index.js';
import { createExpressStore, listUserSessions, type ExpressSessionStore, type ExpressStoreOptions } from '../../transports/express/index.js';
import { CookieClient } from '../support/cookie-client.js';
import { ManualClock } from '../support/manual-clock.js';
import { COOKIE_MAX_AGE_MS, sidOf, startExpressTestApp, type ExpressTestApp } from './express-test-app.js';

/** A store for one test file, and how to let it go. */
export interface OpenedTestStore {
  readonly store: SessionStore;
  close(): Promise<void>;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const COOKIE = 'connect.sid';

/** How a store runs the suite. */
export interface SuiteOptions {
  /** How many sessions the bulk check writes (connect-redis's: 1000). */
  readonly bulkSessions?: number;
}

/** A sid as express-session makes them: 24 random bytes, 32 characters of base64url. */
const newSid = (): string => randomBytes(24).toString('base64url');

/** A store method's callback as a promise. */
function call<T = unknown>(method: (done: (error: unknown, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => method((error, value) => (error ? reject(error as Error) : resolve(value as T))));
}

/**
 * express-session's store over one of our stores, checked twice: the store checks of
 * connect-redis's own suite (ported: ours, in our words), and express + express-session driven over
 * a real port by cookie-keeping clients. The core's clock is a ManualClock set to now (the cookie's
 * expiry is express-session's, on the wall clock), moved by the tests: nothing sleeps.
 */
export function describeExpressStore(storeName: string, openStore: () => Promise<OpenedTestStore>, options: SuiteOptions = {}): void {
  const bulk = options.bulkSessions ?? 1000;
  describe(`express-session over the ${storeName} store`, () => {
    let opened: OpenedTestStore;
    let clock: ManualClock;
    let userSeq = 0;
    const user = () => `${storeName}-user-${++userSeq}-${randomBytes(3).toString('hex')}`;
    const expressStore = (options: Partial<ExpressStoreOptions> = {}): ExpressSessionStore =>
      createExpressStore({ store: opened.store, clock, policy: { defaultTtl: DAY, touchInterval: MINUTE }, ...options } as ExpressStoreOptions);

    beforeAll(async () => {
      opened = await openStore();
      clock = new ManualClock(Date.now());
    }, 60_000);
    afterAll(async () => {
      await opened?.close();
    });

    describe("connect-redis's store checks", () => {
      let store: ExpressSessionStore;
      const load = async (sid: string): Promise<Session> => (await store.bridge.load(sid))!;
      beforeAll(async () => {
        store = expressStore();
        await call((done) => store.clear(done));
      });

      it('set then get answers the same object; a set without a cookie expiry lives the default day', async () => {
        const sid = newSid();
        await call((done) => store.set(sid, { foo: 'bar' } as never, done));
        expect(await call((done) => store.get(sid, done))).toEqual({ foo: 'bar' });
        const session = await load(sid);
        expect(session.expiresAt - session.createdAt).toBe(DAY);
        const other = newSid();
        await call((done) => store.set(other, { cookie: { maxAge: 2000 }, name: 'tj' } as never, done));
        expect(await call((done) => store.get(other, done))).toEqual({ cookie: { maxAge: 2000 }, name: 'tj' });
        await call((done) => store.set(other, { cookie: { maxAge: undefined }, name: 'tj' } as never, done));
        expect(await call((done) => store.get(other, done))).toEqual({ cookie: {}, name: 'tj' });
        await call((done) => store.destroy(other, done));
        expect(await call((done) => store.get(other, done))).toBeNull();
        await call((done) => store.destroy(sid, done));
      });

      it("a cookie expiring in 60 s: the session lives at most 60 s, and touch extends it", async () => {
        const sid = newSid();
        const expires = new Date(Date.now() + 60 * SECOND).toISOString();
        await call((done) => store.set(sid, { cookie: { expires } } as never, done));
        const first = await load(sid);
        expect(first.expiresAt - clock.now()).toBeLessThanOrEqual(60 * SECOND);
        expect(first.expiresAt - clock.now()).toBeGreaterThan(55 * SECOND);
        clock.advance(31 * SECOND); // past half the ttl: the core's throttle lets this touch write
        await call((done) => store.touch(sid, { cookie: { expires: new Date(Date.now() + 90 * SECOND).toISOString() } } as never, done));
        expect((await load(sid)).expiresAt).toBeGreaterThan(first.expiresAt);
        clock.advance(60 * SECOND);
        expect(await call((done) => store.get(sid, done))).toBeNull();
      });

      it('length counts the live sessions, all answers their objects, destroy and clear remove them', async () => {
        await call((done) => store.clear(done));
        const expires = new Date(Date.now() + 60 * SECOND).toISOString();
        const [a, b] = [newSid(), newSid()];
        await call((done) => store.set(a, { foo: 'bar' } as never, done));
        await call((done) => store.set(b, { cookie: { expires } } as never, done));
        expect(await call<number>((done) => store.length(done))).toBe(2);
        const all = await call<object[]>((done) => store.all(done));
        expect(all).toEqual(expect.arrayContaining([{ foo: 'bar' }, { cookie: { expires } }]));
        expect(all).toHaveLength(2);
        await call((done) => store.destroy(b, done));
        expect(await call<number>((done) => store.length(done))).toBe(1);
        await call((done) => store.clear(done));
        expect(await call<number>((done) => store.length(done))).toBe(0);
      });

      it(`${bulk} sessions with an express-session Cookie: all counted, all cleared`, async () => {
        const cookie = new Cookie();
        // An hour: a store slow to take a thousand writes (dynalite) must not see the last ones expire on the wall clock.
        cookie.expires = new Date(Date.now() + HOUR);
        const sids = Array.from({ length: bulk }, newSid);
        // In batches: the order of the writes does not matter here, only that all land.
        for (let i = 0; i < sids.length; i += 50) {
          await Promise.all(sids.slice(i, i + 50).map((sid) => call((done) => store.set(sid, { cookie } as never, done))));
        }
        expect(await call<number>((done) => store.length(done))).toBe(bulk);
        await call((done) => store.clear(done));
        expect(await call<number>((done) => store.length(done))).toBe(0);
      }, 120_000);

      it('a cookie expiring in the future keeps the session; one already expired destroys it', async () => {
        const sid = newSid();
        await call((done) => store.set(sid, { cookie: { expires: new Date(Date.now() + 90 * SECOND).toISOString() } } as never, done));
        expect(await call<number>((done) => store.length(done))).toBe(1);
        await call((done) => store.set(sid, { cookie: { expires: new Date(Date.now() - 90 * SECOND).toISOString() } } as never, done));
        expect(await call<number>((done) => store.length(done))).toBe(0);
      });

      it('keeps the sid only as a hash: no stored session and no error shows it', async () => {
        const sid = newSid();
        const userId = user();
        await call((done) => store.set(sid, { userId } as never, done));
        expect(JSON.stringify(await listUserSessions(store, userId))).not.toContain(sid);
        const error = await call((done) => store.set(`${sid}!`, {} as never, done)).catch((e: unknown) => e);
        expect(String(error)).toMatch(/sid: must be 22 to 256/);
        expect(String(error)).not.toContain(sid);
        expect(await call((done) => store.get(`${sid}!`, done))).toBeNull();
      });
    });

    describe('express + express-session over HTTP', () => {
      let store: ExpressSessionStore;
      let app: ExpressTestApp;
      beforeAll(async () => {
        store = expressStore({ policy: { defaultTtl: DAY, touchInterval: MINUTE, absoluteTimeout: 3 * HOUR } });
        app = await startExpressTestApp(store);
      });
      afterAll(async () => {
        await app?.close();
      });
      const sessionOf = async (userId: string): Promise<Session> => {
        const sessions = await listUserSessions(store, userId);
        expect(sessions).toHaveLength(1);
        return sessions[0]!;
      };

      it('first visit, a cart, login by regenerate keeping the cart, read, modify, rolling touch, logout', async () => {
        const alice = user();
        const browser = new CookieClient(app.baseUrl);
        // First visit: nothing to keep, so no session and no cookie (saveUninitialized: false).
        expect((await browser.request('GET', '/me')).body).toEqual({ userId: null, cart: [], keys: [] });
        expect(browser.cookie(COOKIE)).toBeUndefined();
        await browser.request('POST', '/cart/sku-1');
        const anonymousSid = sidOf(browser.cookie(COOKIE))!;
        expect(await store.bridge.get(anonymousSid)).toMatchObject({ cart: ['sku-1'] });

        const login = await browser.request('POST', `/login/${alice}`);
        expect(login.body).toEqual({ userId: alice, cart: ['sku-1'], keys: ['cart', 'userId'] });
        const sid = sidOf(browser.cookie(COOKIE))!;
        expect(sid).not.toBe(anonymousSid);
        expect(await store.bridge.get(anonymousSid)).toBeUndefined(); // the pre-login sid is worth nothing
        expect((await sessionOf(alice)).data).toMatchObject({ userId: alice, cart: ['sku-1'] });

        expect((await browser.request('GET', '/me')).body).toMatchObject({ userId: alice, cart: ['sku-1'] });
        await browser.request('POST', '/cart/sku-2');
        expect((await browser.request('GET', '/me')).body).toMatchObject({ cart: ['sku-1', 'sku-2'] });

        // Rolling: an unchanged request touches; within the touch interval the store writes nothing.
        const before = await sessionOf(alice);
        clock.advance(30 * SECOND);
        await browser.request('GET', '/me');
        expect((await sessionOf(alice)).version).toBe(before.version);
        clock.advance(31 * SECOND);
        await browser.request('GET', '/me');
        const touched = await sessionOf(alice);
        expect(touched.version).toBe(before.version + 1);
        expect(touched.expiresAt).toBe(clock.now() + COOKIE_MAX_AGE_MS);

        await browser.request('POST', '/logout');
        expect(await listUserSessions(store, alice)).toEqual([]);
        expect((await browser.request('GET', '/me')).body).toMatchObject({ userId: null, cart: [] });
      });

      it('log out everywhere from a second device ends the first one too, and no one else', async () => {
        const [alice, bob] = [user(), user()];
        const [phone, laptop, bobs] = [new CookieClient(app.baseUrl), new CookieClient(app.baseUrl), new CookieClient(app.baseUrl)];
        await phone.request('POST', `/login/${alice}`);
        await laptop.request('POST', `/login/${alice}`);
        await bobs.request('POST', `/login/${bob}`);
        expect((await laptop.request('GET', '/my-sessions')).body).toEqual({ count: 2 });
        expect((await laptop.request('POST', '/logout-everywhere')).body).toEqual({ ended: 2 });
        expect((await phone.request('GET', '/me')).body).toMatchObject({ userId: null });
        expect((await laptop.request('GET', '/me')).body).toMatchObject({ userId: null });
        expect((await bobs.request('GET', '/me')).body).toMatchObject({ userId: bob });
      });

      it("expires on the core's clock, and the absolute timeout ends a session kept rolling", async () => {
        const [alice, carol] = [user(), user()];
        const idle = new CookieClient(app.baseUrl);
        await idle.request('POST', `/login/${alice}`);
        clock.advance(COOKIE_MAX_AGE_MS - 1);
        expect((await idle.request('GET', '/me')).body).toMatchObject({ userId: alice }); // still live, and touched
        clock.advance(COOKIE_MAX_AGE_MS);
        expect((await idle.request('GET', '/me')).body).toEqual({ userId: null, cart: [], keys: [] });
        expect(await listUserSessions(store, alice)).toEqual([]);

        // Busy all along: every 50 minutes a request slides it, until 3 h after its creation.
        const busy = new CookieClient(app.baseUrl);
        await busy.request('POST', `/login/${carol}`);
        const created = (await sessionOf(carol)).createdAt;
        for (let at = 50 * MINUTE; at < 3 * HOUR; at += 50 * MINUTE) {
          clock.set(created + at);
          expect((await busy.request('GET', '/me')).body).toMatchObject({ userId: carol });
        }
        expect((await sessionOf(carol)).expiresAt).toBe(created + 3 * HOUR);
        clock.set(created + 3 * HOUR);
        expect((await busy.request('GET', '/me')).body).toMatchObject({ userId: null });
      });

      it('a request still in flight when its session is logged out does not bring it back (connect-redis #75)', async () => {
        const alice = user();
        const [phone, laptop] = [new CookieClient(app.baseUrl), new CookieClient(app.baseUrl)];
        await phone.request('POST', `/login/${alice}`);
        await laptop.request('POST', `/login/${alice}`);
        const slow = phone.request('POST', '/slow/resurrect/late');
        await app.arrived('resurrect'); // it has loaded its session
        await laptop.request('POST', '/logout-everywhere');
        app.release('resurrect');
        await slow; // it wrote `late: true` at its end
        expect(await listUserSessions(store, alice)).toEqual([]);
        expect((await phone.request('GET', '/me')).body).toMatchObject({ userId: null });
      });
    });

    describe('two requests of one session writing at once', () => {
      const race = async (store: ExpressSessionStore): Promise<unknown> => {
        const app = await startExpressTestApp(store);
        try {
          const browser = new CookieClient(app.baseUrl);
          await browser.request('POST', `/login/${user()}`);
          const [first, second] = [browser.request('POST', '/slow/one/a'), browser.request('POST', '/slow/two/b')];
          await Promise.all([app.arrived('one'), app.arrived('two')]); // both loaded the same version
          app.release('one');
          await first;
          app.release('two');
          await second;
          return (await browser.request('GET', '/me')).body;
        } finally {
          await app.close();
        }
      };

      it('last write wins by default (as in every express-session store): the first change is lost', async () => {
        expect(await race(expressStore())).toMatchObject({ keys: ['b', 'userId'] });
      });

      it('with merge-top-level-keys, both changes land', async () => {
        expect(await race(expressStore({ concurrency: 'merge-top-level-keys' }))).toMatchObject({ keys: ['a', 'b', 'userId'] });
      });
    });
  });
}
