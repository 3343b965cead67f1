import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import session from 'express-session';
import { listUserSessions, logoutEverywhere, type ExpressSessionStore } from '../../transports/express/index.js';

/** One hour: the cookie's maxAge in these apps. */
export const COOKIE_MAX_AGE_MS = 3_600_000;

/** What a test holds of a running app: where it listens, its slow requests' gates, and how to stop it. */
export interface ExpressTestApp {
  readonly baseUrl: string;
  /** Resolves once the slow request `name` has loaded its session (and waits at the gate). */
  arrived(name: string): Promise<void>;
  /** Lets the slow request `name` go on. */
  release(name: string): void;
  close(): Promise<void>;
}

/** The session fields these apps use: express-session's object is open, so they are read as a record. */
type Bag = Record<string, unknown>;
const bag = (req: Request): Bag => req.session as unknown as Bag;

/**
 * A small real app of the kind express-session serves: a cart before login, login by
 * `regenerate` keeping the cart, rolling one-hour cookies, logout, log out everywhere, and slow
 * requests held at a gate so that tests can interleave two requests of one session.
 */
export async function startExpressTestApp(store: ExpressSessionStore): Promise<ExpressTestApp> {
  const gates = new Map<string, { arrived: Deferred; release: Deferred }>();
  const gate = (name: string) => {
    let entry = gates.get(name);
    if (entry === undefined) {
      entry = { arrived: deferred(), release: deferred() };
      gates.set(name, entry);
    }
    return entry;
  };

  const app = express();
  app.use(
    session({
      store,
      secret: 'a test secret, not a real one',
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { maxAge: COOKIE_MAX_AGE_MS, httpOnly: true },
    }),
  );
  const me = (req: Request) => ({ userId: bag(req)['userId'] ?? null, cart: bag(req)['cart'] ?? [], keys: Object.keys(bag(req)).filter((k) => k !== 'cookie').sort() });
  app.get('/me', (req, res) => {
    res.json(me(req));
  });
  app.post('/cart/:sku', (req, res) => {
    bag(req)['cart'] = [...((bag(req)['cart'] as string[] | undefined) ?? []), req.params['sku']];
    res.json(me(req));
  });
  app.post('/login/:user', (req, res, next) => {
    // Keep what the anonymous session held across the new sid (session fixation: never log in on the old one).
    const kept = { cart: bag(req)['cart'] };
    req.session.regenerate((error: unknown) => {
      if (error) return next(error);
      Object.assign(bag(req), kept, { userId: req.params['user'] });
      res.json(me(req));
    });
  });
  app.post('/logout', (req, res, next) => {
    req.session.destroy((error: unknown) => (error ? next(error) : res.json({ loggedOut: true })));
  });
  app.post('/logout-everywhere', async (req, res: Response) => {
    res.json({ ended: await logoutEverywhere(store, String(bag(req)['userId'])) });
  });
  app.get('/my-sessions', async (req, res: Response) => {
    const sessions = await listUserSessions(store, String(bag(req)['userId']));
    res.json({ count: sessions.length });
  });
  app.post('/slow/:name/:key', async (req, res) => {
    const { arrived, release } = gate(req.params['name']!);
    arrived.resolve();
    await release.promise;
    bag(req)[req.params['key']!] = true;
    res.json(me(req));
  });

  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    arrived: (name) => gate(name).arrived.promise,
    release: (name) => gate(name).release.resolve(),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** A promise and its resolve (Promise.withResolvers, which Node 20 lacks). */
interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
}

function deferred(): Deferred {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** The sid inside express-session's signed cookie (`s:<sid>.<signature>`, URL-encoded). */
export function sidOf(cookie: string | undefined): string | undefined {
  if (cookie === undefined) return undefined;
  const value = decodeURIComponent(cookie);
  return value.startsWith('s:') ? value.slice(2, value.lastIndexOf('.')) : undefined;
}
