import type { Context } from 'koa';

/** The route template that matched (`/sessions/:id`), never the raw path, so logs and metrics stay bounded. */
export function routeOf(ctx: Context): string {
  const matched: unknown = (ctx as Context & { _matchedRoute?: unknown })._matchedRoute;
  return typeof matched === 'string' ? matched : 'unmatched';
}
