import Router from '@koa/router';
import { ROUTER_OPTIONS } from './router-options.js';
import type { SessionService } from '../../core/index.js';
import { HttpProblem } from './problem.js';

/** The Kubernetes probes: `/health` says the process is alive, `/ready` that it should get traffic. */
export function probeRoutes(service: SessionService, isDraining: () => boolean): Router {
  const router = new Router(ROUTER_OPTIONS);
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/ready', async (ctx) => {
    if (isDraining()) {
      throw new HttpProblem(503, 'draining', 'Shutting down', 'This instance is shutting down.', { 'Retry-After': '1' });
    }
    await service.ready();
    ctx.body = { status: 'ready' };
  });
  return router;
}
