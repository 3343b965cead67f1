import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { ROUTER_OPTIONS } from './router-options.js';
import type { Page, SessionService } from '../../core/index.js';
import { versionFromIfMatch } from './if-match.js';
import { HttpProblem } from './problem.js';
import { readJsonBody } from './read-json-body.js';
import { createSessionBody, pageQuery, sessionDataBody } from './api-schemas.js';
import { validate } from './validate.js';
import { etagOf, toWireSession } from './wire-session.js';
import type { Session } from '../../core/index.js';

/** What the session routes need. */
export interface SessionRoutesOptions {
  readonly service: SessionService;
  readonly bodyLimitBytes: number;
  /** The guard every session route runs before its handler. */
  readonly auth?: Middleware;
}

/** The `/sessions` routes: each a thin mapping onto one use case of the core. */
export function sessionRoutes({ service, bodyLimitBytes, auth = (_ctx, next) => next() }: SessionRoutesOptions): Router {
  const router = new Router(ROUTER_OPTIONS);
  const body = async (ctx: Context): Promise<unknown> => {
    const parsed = await readJsonBody(ctx, bodyLimitBytes);
    if (parsed === undefined) {
      throw new HttpProblem(400, 'invalid-input', 'Invalid input', 'A JSON body is required.');
    }
    return parsed;
  };
  const writeOptions = (ctx: Context) => ({ expectedVersion: versionFromIfMatch(ctx.get('If-Match') || undefined) });

  // User routes come first: `/sessions/user/...` must not be read as a session id.
  router.get('/sessions/user/:userId', auth, async (ctx) => {
    sendPage(ctx, await service.listByUser(ctx.params.userId ?? '', pageOptions(ctx)));
  });
  router.delete('/sessions/user/:userId', auth, async (ctx) => {
    ctx.body = { deleted: await service.deleteByUser(ctx.params.userId ?? '') };
  });

  router.post('/sessions', auth, async (ctx) => {
    const input = validate(createSessionBody, await body(ctx), 'body');
    const session = await service.create(input);
    ctx.status = 201;
    ctx.set('Location', `/sessions/${session.id}`);
    sendSession(ctx, session);
  });
  router.get('/sessions', auth, async (ctx) => {
    sendPage(ctx, await service.list(pageOptions(ctx)));
  });
  router.get('/sessions/:id', auth, async (ctx) => {
    sendSession(ctx, await service.get(ctx.params.id ?? ''));
  });
  router.put('/sessions/:id', auth, async (ctx) => {
    const options = writeOptions(ctx);
    const { data } = validate(sessionDataBody, await body(ctx), 'body');
    sendSession(ctx, await service.replace(ctx.params.id ?? '', data, options));
  });
  router.patch('/sessions/:id', auth, async (ctx) => {
    const options = writeOptions(ctx);
    const { data } = validate(sessionDataBody, await body(ctx), 'body');
    sendSession(ctx, await service.patch(ctx.params.id ?? '', data, options));
  });
  router.post('/sessions/:id/refresh', auth, async (ctx) => {
    sendSession(ctx, await service.refresh(ctx.params.id ?? '', writeOptions(ctx)));
  });
  router.delete('/sessions/:id', auth, async (ctx) => {
    const id = ctx.params.id ?? '';
    await service.delete(id);
    ctx.body = { deleted: true, id };
  });
  return router;
}

function pageOptions(ctx: Context) {
  return validate(pageQuery, { ...ctx.query }, 'query');
}

function sendSession(ctx: Context, session: Session): void {
  ctx.set('ETag', etagOf(session));
  ctx.body = toWireSession(session);
}

function sendPage(ctx: Context, page: Page): void {
  ctx.body = { sessions: page.sessions.map(toWireSession), count: page.sessions.length, nextCursor: page.nextCursor };
}
