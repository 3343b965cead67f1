import Router from '@koa/router';
import type { Context } from 'koa';
import { bearerCheck, type BearerCheck } from './bearer-auth.js';
import { routerPathOf } from './path-params.js';
import type { AuthRule, Reply, Route, RouteDeps } from './route.js';
import { routeInputReader } from './route-input.js';

/** How the router guards and reads requests. */
export interface RouterOptions {
  /** Bearer tokens; none leaves every route open. */
  readonly apiTokens: readonly string[];
  /** Whether `/metrics` asks for a token too. */
  readonly metricsRequireToken: boolean;
  readonly bodyLimitBytes: number;
}

/** The check an auth rule stands for with these options; `undefined` when the route is open. */
export function guardOf(rule: AuthRule, options: RouterOptions, check: BearerCheck | undefined): BearerCheck | undefined {
  switch (rule) {
    case 'public':
      return undefined;
    case 'api-token':
      return check;
    case 'metrics-token':
      return options.metricsRequireToken ? check : undefined;
  }
}

/**
 * One router for the whole table: one match per request, and 404, 405 and `Allow` from it.
 * Paths match exactly (RFC 3986: case-sensitive, no optional trailing slash), and each route
 * runs its own guard before anything else, so whatever the router dispatches to is guarded by
 * that route's rule and nothing else decides. Where two templates match (`/sessions/current`
 * and `/sessions/{id}`), the one with fewer parameters wins, whatever the table's order.
 */
export function createRouter(table: readonly Route[], deps: RouteDeps, options: RouterOptions): Router {
  const router = new Router({ sensitive: true, strict: true, exclusive: 'specificity' });
  const check = options.apiTokens.length > 0 ? bearerCheck(options.apiTokens) : undefined;
  for (const route of table) {
    if (route.servedWith && !route.servedWith(deps)) continue;
    const guard = guardOf(route.auth, options, check);
    const readInput = routeInputReader(route, options.bodyLimitBytes);
    router[route.method](routerPathOf(route.path), async (ctx) => {
      guard?.(ctx);
      const reply = await route.handle(await readInput(ctx), deps, ctx);
      send(ctx, route, reply);
    });
  }
  return router;
}

function send(ctx: Context, route: Route, reply: Reply): void {
  const declared = route.responses[reply.status];
  // A handler answering a status its declaration does not document is a bug, not an answer.
  if (!declared) throw new Error(`${route.operationId} answered ${reply.status}, which it does not declare`);
  ctx.status = reply.status;
  // Every value here is one string and nothing has been sent yet, so the headers go straight to
  // Node: Koa's `ctx.set` builds three arrays per call to normalise values given as arrays.
  const { res } = ctx;
  if (reply.headers) for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
  if (route.cacheControl !== null) res.setHeader('Cache-Control', route.cacheControl ?? 'no-store');
  if (reply.body === undefined) return;
  if (typeof reply.body === 'string') {
    // Set as the header itself: Koa's `ctx.type` looks the type up in mime-db on every answer.
    const mediaType = declared.mediaType ?? 'application/json';
    res.setHeader('Content-Type', reply.type ?? `${typeof mediaType === 'string' ? mediaType : (mediaType[0] ?? 'application/octet-stream')}; charset=utf-8`);
  }
  ctx.body = reply.body;
}
