import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session, SessionStore, TtlPolicy } from '../../core/index.js';
import { CookieClient, type CookieResponse } from '../support/cookie-client.js';
import { ManualClock } from '../support/manual-clock.js';
import type { FlowBacking, OpenedBacking } from './flow-backings.js';
import type { FlowApp, FlowAppOptions, SessionView } from './flow-app.js';

/** A framework under test: how its store is made over one of ours, and how its app starts. */
export interface FlowFramework<Store> {
  readonly name: string;
  /** The fields the framework itself keeps in a session object besides the app's (koa-session's `_maxAge`). */
  readonly ownFields: readonly string[];
  /** The framework's store (the shell under test) over `store`, on `clock` and `policy`, with the per-user calls beside it. */
  storeOver(store: SessionStore, clock: ManualClock, policy: Partial<TtlPolicy>): Omit<FlowAppOptions<Store>, 'maxAgeMs'>;
  startApp(options: FlowAppOptions<Store>): Promise<FlowApp>;
}

const MAX_AGE_MS = 3_600_000;
const MINUTE = 60_000;
// Short enough that a rolling session reaches it in a few requests.
const ABSOLUTE_TIMEOUT_MS = 3 * MAX_AGE_MS;

/** Every live session of a user, straight from the store (not through the shell). */
async function sessionsOf(store: SessionStore, userId: string, now: number): Promise<Session[]> {
  const sessions: Session[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listByUser(userId, { limit: 100, cursor }, now);
    sessions.push(...page.sessions);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return sessions;
}

function expectOk(response: CookieResponse): void {
  expect(response.status, response.text).toBe(200);
}

/**
 * A real app of `framework` on a real port, over each store kind, driven by a cookie-keeping
 * client through the flows of issue 16: first visit, login with regenerate, read, modify, rolling
 * touch, logout, log out everywhere from a second device, and expiry. Time moves by the core's
 * clock only (the frameworks keep reading their own, so cookies never expire in the client: it
 * is the store that must say a session is gone).
 */
export function describeFrameworkFlows<Store>(framework: FlowFramework<Store>, backing: FlowBacking): void {
  describe(`${framework.name} over the ${backing.name} store`, () => {
    let opened: OpenedBacking;
    let store: SessionStore;
    let app: FlowApp;
    const clock = new ManualClock(Date.now());
    let users = 0;
    const user = () => `${framework.name}-${backing.name}-user-${++users}`;
    const browser = () => new CookieClient(app.url);
    const view = async (client: CookieClient): Promise<SessionView> => {
      const response = await client.get('/session');
      expectOk(response);
      return response.body as SessionView;
    };
    const login = async (client: CookieClient, userId: string): Promise<void> => {
      expectOk(await client.post(`/login?user=${encodeURIComponent(userId)}`));
    };

    beforeAll(async () => {
      opened = await backing.open();
      store = await opened.freshStore();
      app = await framework.startApp({ ...framework.storeOver(store, clock, { absoluteTimeout: ABSOLUTE_TIMEOUT_MS }), maxAgeMs: MAX_AGE_MS });
    });
    afterAll(async () => {
      await app?.close();
      await opened?.close();
    });

    it('first visit: no cookie until there is something to keep, then one session that counts visits', async () => {
      const client = browser();
      expect(await view(client)).toMatchObject({ userId: null, views: 0 });
      const first = await client.post('/visit');
      expectOk(first);
      expect(first.body).toEqual({ views: 1 });
      const cookies = client.cookies();
      expect(cookies.size).toBeGreaterThan(0);
      expectOk(await client.post('/visit'));
      expect(await view(client)).toMatchObject({ views: 2, userId: null });
      // A second browser starts its own session.
      expect(await view(browser())).toMatchObject({ views: 0 });
    });

    it('login regenerates: a new sid, the old cookie resolves to nothing, the session is in the user\'s home', async () => {
      const client = browser();
      expectOk(await client.post('/visit'));
      const before = await view(client);
      const anonymousCookies = client.cookies();
      const userId = user();
      await login(client, userId);
      const after = await view(client);
      expect(after.userId).toBe(userId);
      expect(after.sid).not.toBe(before.sid);
      // A copy of the cookie taken before the login (session fixation) is worth nothing now.
      const fixated = await requestWith(app.url, anonymousCookies, '/session');
      expect(fixated.userId).toBeNull();
      const stored = await sessionsOf(store, userId, clock.now());
      expect(stored).toHaveLength(1);
      // Sessions are kept under a hash of the sid: the store never holds the cookie's secret.
      expect(JSON.stringify(stored)).not.toContain(after.sid);
    });

    it('read and modify: what one request writes the next one reads, and the store holds it', async () => {
      const client = browser();
      const userId = user();
      await login(client, userId);
      expectOk(await client.post('/cart?item=book'));
      expectOk(await client.post('/cart?item=pen'));
      expect(await view(client)).toMatchObject({ userId, cart: ['book', 'pen'] });
      const [stored] = await sessionsOf(store, userId, clock.now());
      expect(JSON.stringify(stored?.data)).toContain('"pen"');
    });

    it('rolling touch: a request within maxAge extends the session past its first expiry', async () => {
      const client = browser();
      const userId = user();
      await login(client, userId);
      clock.advance(40 * MINUTE);
      expect((await view(client)).userId).toBe(userId);
      clock.advance(40 * MINUTE);
      // 80 minutes after login with a one-hour maxAge: alive only because the read touched it.
      expect((await view(client)).userId).toBe(userId);
      const [stored] = await sessionsOf(store, userId, clock.now());
      expect(stored!.expiresAt).toBeGreaterThan(clock.now() + 10 * MINUTE);
    });

    it('a rolling read within the touch interval writes nothing; after it, one refresh moves the deadline', async () => {
      const client = browser();
      const userId = user();
      await login(client, userId);
      expect((await view(client)).userId).toBe(userId);
      const [settled] = await sessionsOf(store, userId, clock.now());
      for (let i = 0; i < 3; i++) expect((await view(client)).userId).toBe(userId);
      const [untouched] = await sessionsOf(store, userId, clock.now());
      expect(untouched).toEqual(settled);
      clock.advance(2 * MINUTE);
      expect((await view(client)).userId).toBe(userId);
      const [refreshed] = await sessionsOf(store, userId, clock.now());
      expect(refreshed!.expiresAt).toBe(settled!.expiresAt + 2 * MINUTE);
      expect(refreshed!.data).toEqual(settled!.data);
    });

    it('the store holds the app\'s fields and the framework\'s constant ones, no instant of the framework\'s clock', async () => {
      const client = browser();
      const userId = user();
      expectOk(await client.post('/visit'));
      await login(client, userId);
      expectOk(await client.post('/cart?item=map'));
      expect((await view(client)).userId).toBe(userId);
      const [stored] = await sessionsOf(store, userId, clock.now());
      const appFields = ['userId', 'views', 'cart'];
      for (const key of Object.keys(stored!.data)) expect([...appFields, ...framework.ownFields]).toContain(key);
      expect(stored!.data).toMatchObject({ userId, cart: ['map'] });
      expect(JSON.stringify(stored!.data)).not.toMatch(/expire/i);
    });

    it('the absolute timeout ends a session that rolling kept alive, however often it is used', async () => {
      const client = browser();
      const userId = user();
      await login(client, userId);
      for (let elapsed = 0; elapsed + 50 * MINUTE < ABSOLUTE_TIMEOUT_MS; elapsed += 50 * MINUTE) {
        clock.advance(50 * MINUTE);
        expect((await view(client)).userId).toBe(userId);
      }
      clock.advance(50 * MINUTE);
      expect((await view(client)).userId).toBeNull();
      expect(await sessionsOf(store, userId, clock.now())).toEqual([]);
    });

    it('logout: the session is gone from the store, and replaying its cookie finds nothing', async () => {
      const client = browser();
      const userId = user();
      await login(client, userId);
      const loggedIn = client.cookies();
      expectOk(await client.post('/logout'));
      expect((await view(client)).userId).toBeNull();
      expect(await sessionsOf(store, userId, clock.now())).toEqual([]);
      expect((await requestWith(app.url, loggedIn, '/session')).userId).toBeNull();
    });

    it('log out everywhere from a second device ends the sessions of every device, and only that user\'s', async () => {
      const laptop = browser();
      const phone = browser();
      const neighbour = browser();
      const userId = user();
      const other = user();
      await login(laptop, userId);
      await login(phone, userId);
      await login(neighbour, other);
      const devices = await phone.get('/devices');
      expectOk(devices);
      expect(devices.body).toEqual({ count: 2 });
      const ended = await phone.post('/logout-everywhere');
      expectOk(ended);
      expect(ended.body).toEqual({ ended: 2 });
      expect((await view(laptop)).userId).toBeNull();
      expect((await view(phone)).userId).toBeNull();
      expect(await sessionsOf(store, userId, clock.now())).toEqual([]);
      expect((await view(neighbour)).userId).toBe(other);
    });

    it('expiry: a session left alone past maxAge is gone, and the next request starts afresh', async () => {
      const client = browser();
      const bystander = browser();
      const userId = user();
      const other = user();
      await login(client, userId);
      await login(bystander, other);
      clock.advance(MAX_AGE_MS - MINUTE);
      expect((await view(bystander)).userId).toBe(other);
      clock.advance(2 * MINUTE);
      expect((await view(client)).userId).toBeNull();
      expect(await sessionsOf(store, userId, clock.now())).toEqual([]);
      // The bystander's read a minute before its expiry rolled it on.
      expect((await view(bystander)).userId).toBe(other);
      clock.advance(MAX_AGE_MS + MINUTE);
      expect((await view(bystander)).userId).toBeNull();
    });
  });
}

/** One GET with exactly these cookies (a copy of a browser's jar at some earlier moment). */
async function requestWith(baseUrl: string, cookies: ReadonlyMap<string, string>, path: string): Promise<SessionView> {
  const response = await fetch(baseUrl + path, { headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') } });
  expect(response.status).toBe(200);
  return (await response.json()) as SessionView;
}
