import Router from '@koa/router';
import type { Middleware } from 'koa';
import { ROUTER_OPTIONS } from './router-options.js';
import type { Registry } from 'prom-client';

/** `GET /metrics` in the Prometheus text format. */
export function metricsRoutes(registry: Registry, auth: Middleware = (_ctx, next) => next()): Router {
  const router = new Router(ROUTER_OPTIONS);
  router.get('/metrics', auth, async (ctx) => {
    ctx.type = registry.contentType;
    ctx.body = await registry.metrics();
  });
  return router;
}
