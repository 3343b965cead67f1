import Koa, { type Context, type Middleware } from 'koa';
import type { Registry } from 'prom-client';
import type { SessionService } from '../../core/index.js';
import { bearerAuth } from './bearer-auth.js';
import { docsRoutes } from './docs-routes.js';
import { httpMetrics } from './http-metrics.js';
import { silentLogger, type HttpLogger } from './http-logger.js';
import { logHash } from './log-hash.js';
import { metricsRoutes } from './metrics-routes.js';
import { openApiDocument } from './openapi-document.js';
import { HttpProblem, problemFor, PROBLEM_MEDIA_TYPE } from './problem.js';
import { probeRoutes } from './probe-routes.js';
import { requestIdFrom } from './request-id.js';
import { routeOf } from './route-of.js';
import { sessionRoutes } from './session-routes.js';

/** Everything the HTTP app is built from; only the service is required. */
export interface HttpAppOptions {
  readonly service: SessionService;
  readonly logger?: HttpLogger;
  /** The largest request body accepted, in bytes (default 64 KiB). */
  readonly bodyLimitBytes?: number;
  /** Bearer tokens that may call `/sessions`; empty or absent leaves the API open. */
  readonly apiTokens?: readonly string[];
  /** True once the process is shutting down: `/ready` then answers 503. */
  readonly isDraining?: () => boolean;
  /** Serve `/metrics` from this registry and count requests into it. */
  readonly metrics?: { readonly registry: Registry; readonly requireToken?: boolean };
}

/** The default request body limit: 64 KiB. */
export const DEFAULT_BODY_LIMIT_BYTES = 65_536;

/**
 * Builds the Koa app of the session API. Nothing listens: pass `app.callback()` to a server.
 */
export function createHttpApp(options: HttpAppOptions): Koa {
  const logger = options.logger ?? silentLogger;
  const isDraining = options.isDraining ?? (() => false);
  const app = new Koa();
  // Errors are answered and logged by our own middleware; Koa's printer would log them twice.
  app.silent = true;

  app.use(logRequest(logger));
  // Outside the error handler, so that it counts the status the client finally gets.
  if (options.metrics) app.use(httpMetrics(options.metrics.registry));
  app.use(answerProblems(logger));

  // The guard is part of each route the router dispatches to, never a comparison of path
  // strings beside it: the router and a string test disagreed on case and trailing slashes.
  const tokens = options.apiTokens ?? [];
  const open: Middleware = (_ctx, next) => next();
  const auth = tokens.length > 0 ? bearerAuth(tokens) : open;

  const probes = probeRoutes(options.service, isDraining);
  app.use(probes.routes()).use(probes.allowedMethods());
  const docs = docsRoutes(openApiDocument());
  app.use(docs.routes()).use(docs.allowedMethods());
  if (options.metrics) {
    const metrics = metricsRoutes(options.metrics.registry, options.metrics.requireToken === true ? auth : open);
    app.use(metrics.routes()).use(metrics.allowedMethods());
  }

  const sessions = sessionRoutes({
    service: options.service,
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    auth,
  });
  app.use(async (ctx, next) => {
    // Session data is a credential's payload: no cache anywhere may keep it.
    ctx.set('Cache-Control', 'no-store');
    await next();
  });
  app.use(sessions.routes()).use(sessions.allowedMethods());
  return app;
}

/** One structured line per request; session ids appear only hashed. */
function logRequest(logger: HttpLogger): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    const requestId = requestIdFrom(ctx.get('X-Request-Id'));
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      // Hashing the id costs more than the rest of the line: skip it all when nobody reads it.
      if (logger.isLevelEnabled?.('info') === false) return;
      const id: unknown = (ctx as Context & { params?: Record<string, string> }).params?.id;
      logger.info({
        requestId,
        method: ctx.method,
        route: routeOf(ctx),
        status: ctx.status,
        ms: Math.round((performance.now() - started) * 100) / 100,
        ...(typeof id === 'string' ? { session: logHash(id) } : {}),
      });
    }
  };
}

/** Turns every error, and every unanswered 404/405/501, into `application/problem+json`. */
function answerProblems(logger: HttpLogger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.body == null && ctx.status === 404) {
        throw new HttpProblem(404, 'no-route', 'Not found', `No route for ${ctx.method} ${ctx.path}.`);
      }
      if (ctx.body == null && ctx.status === 405) {
        throw new HttpProblem(405, 'method-not-allowed', 'Method not allowed', `Allowed: ${ctx.response.get('Allow')}.`, {
          Allow: ctx.response.get('Allow'),
        });
      }
      // The router answers a method it has never heard of (TRACE, PROPFIND) with 501. That is a
      // server error for a client's mistake, so monitoring would page on it: it is a 405 here.
      if (ctx.body == null && ctx.status === 501) {
        throw new HttpProblem(405, 'method-not-allowed', 'Method not allowed', `${ctx.method} is not supported; allowed: ${ctx.response.get('Allow')}.`, {
          Allow: ctx.response.get('Allow'),
        });
      }
    } catch (error) {
      const { problem, headers, expected } = problemFor(error instanceof URIError ? malformedPath() : error);
      if (!expected) logger.error({ requestId: ctx.state.requestId, err: error }, 'request failed');
      ctx.set(headers);
      ctx.status = problem.status;
      ctx.body = problem;
      ctx.type = PROBLEM_MEDIA_TYPE;
    }
  };
}

function malformedPath(): HttpProblem {
  return new HttpProblem(400, 'malformed-path', 'Malformed path', 'The path has invalid percent-encoding.');
}
