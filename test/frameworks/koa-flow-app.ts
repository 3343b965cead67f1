import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import session from 'koa-session';
import type { KoaSessionStore } from '../../transports/koa/index.js';
import type { FlowApp, FlowAppOptions, SessionView } from './flow-app.js';

interface FlowSession {
  views?: number;
  userId?: string;
  cart?: string[];
  externalKey?: string;
  regenerate(): Promise<void>;
}

/** koa 3 + koa-session 7 with the store under test, rolling, on an ephemeral port of 127.0.0.1. */
export async function startKoaFlowApp(options: FlowAppOptions<KoaSessionStore>): Promise<FlowApp> {
  const app = new Koa();
  app.keys = ['flow-test-signing-key'];
  app.use(session({ store: options.store, maxAge: options.maxAgeMs, rolling: true, signed: true }, app));
  app.use(async (ctx) => {
    const current = ctx.session as unknown as FlowSession | null;
    const param = (name: string): string => String(ctx.query[name] ?? '');
    const route = `${ctx.method} ${ctx.path}`;
    switch (route) {
      case 'GET /session': {
        const view: SessionView = {
          sid: current?.externalKey ?? null,
          userId: current?.userId ?? null,
          views: current?.views ?? 0,
          cart: current?.cart ?? [],
        };
        ctx.body = view;
        return;
      }
      case 'POST /visit':
        current!.views = (current!.views ?? 0) + 1;
        ctx.body = { views: current!.views };
        return;
      case 'POST /login':
        // koa-session's regenerate keeps the data and commits it under a new key at once.
        current!.userId = param('user');
        await current!.regenerate();
        ctx.body = { userId: current!.userId };
        return;
      case 'POST /cart':
        current!.cart = [...(current!.cart ?? []), param('item')];
        ctx.body = { cart: current!.cart };
        return;
      case 'POST /logout':
        ctx.session = null;
        ctx.body = { ok: true };
        return;
      case 'POST /logout-everywhere': {
        const userId = current?.userId;
        if (userId === undefined) return ctx.throw(401);
        ctx.body = { ended: await options.logoutEverywhere(userId) };
        return;
      }
      case 'GET /devices': {
        const userId = current?.userId;
        if (userId === undefined) return ctx.throw(401);
        ctx.body = { count: await options.listUserSessions(userId) };
        return;
      }
      default:
        ctx.throw(404);
    }
  });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
