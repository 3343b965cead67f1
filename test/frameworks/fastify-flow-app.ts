import type { AddressInfo } from 'node:net';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import Fastify from 'fastify';
import type { FastifySessionStore } from '../../transports/fastify/index.js';
import type { FlowApp, FlowAppOptions, SessionView } from './flow-app.js';

declare module 'fastify' {
  interface Session {
    views?: number;
    userId?: string;
    cart?: string[];
  }
}

const SECRET = 'a flow-test secret of more than thirty-two characters';

/** fastify 5 + @fastify/cookie + @fastify/session with the store under test (its rolling default), on 127.0.0.1. */
export async function startFastifyFlowApp(options: FlowAppOptions<FastifySessionStore>): Promise<FlowApp> {
  const app = Fastify();
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: SECRET,
    store: options.store,
    saveUninitialized: false,
    cookie: { secure: false, maxAge: options.maxAgeMs },
  });
  app.get('/session', async (request) => {
    const view: SessionView = {
      sid: request.session.sessionId ?? null,
      userId: request.session.get('userId') ?? null,
      views: request.session.get('views') ?? 0,
      cart: request.session.get('cart') ?? [],
    };
    return view;
  });
  app.post('/visit', async (request) => {
    const views = (request.session.get('views') ?? 0) + 1;
    request.session.set('views', views);
    return { views };
  });
  app.post<{ Querystring: { user: string } }>('/login', async (request) => {
    // @fastify/session's regenerate writes a new, empty session at once; the user is saved after.
    await request.session.regenerate();
    request.session.set('userId', request.query.user);
    return { userId: request.query.user };
  });
  app.post<{ Querystring: { item: string } }>('/cart', async (request) => {
    const cart = [...(request.session.get('cart') ?? []), request.query.item];
    request.session.set('cart', cart);
    return { cart };
  });
  app.post('/logout', async (request) => {
    await request.session.destroy();
    return { ok: true };
  });
  app.post('/logout-everywhere', async (request, reply) => {
    const userId = request.session.get('userId');
    if (!userId) return reply.code(401).send();
    return { ended: await options.logoutEverywhere(userId) };
  });
  app.get('/devices', async (request, reply) => {
    const userId = request.session.get('userId');
    if (!userId) return reply.code(401).send();
    return { count: await options.listUserSessions(userId) };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    close: () => app.close(),
  };
}
