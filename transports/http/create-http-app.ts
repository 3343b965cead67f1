import Koa, { type Context, type Middleware } from 'koa';
import type { Registry } from 'prom-client';
import { ipAddressPrefix, type SessionService } from '../../core/index.js';
import { eventMetrics } from './event-metrics.js';
import { httpMetrics, type RequestCounter } from './http-metrics.js';
import { silentLogger, type HttpLogger } from './http-logger.js';
import { logHash } from './log-hash.js';
import { openApiDocument } from './openapi-document.js';
import { HttpProblem, problemFor, PROBLEM_MEDIA_TYPE } from './problem.js';
import { requestIdFrom } from './request-id.js';
import { routeOf } from './route-of.js';
import { createRouter } from './route-router.js';
import { ROUTE_TABLE } from './route-table.js';

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
 * Builds the Koa app of the session API from the route table. Nothing listens: pass
 * `app.callback()` to a server.
 */
export function createHttpApp(options: HttpAppOptions): Koa {
  const logger = options.logger ?? silentLogger;
  const app = new Koa();
  // Errors are answered and logged by our own middleware; Koa's printer would log them twice.
  app.silent = true;

  // One outer middleware logs, counts and answers problems: each Koa layer costs a closure and
  // a promise per request, so the three concerns share one (in the order they had as layers).
  app.use(frameRequests(logger, options.metrics ? httpMetrics(options.metrics.registry) : undefined));

  const router = createRouter(
    ROUTE_TABLE,
    {
      service: options.service,
      isDraining: options.isDraining ?? (() => false),
      registry: options.metrics?.registry,
      countEvents: options.metrics ? eventMetrics(options.metrics.registry) : undefined,
      documentJson: JSON.stringify(openApiDocument()),
    },
    {
      apiTokens: options.apiTokens ?? [],
      metricsRequireToken: options.metrics?.requireToken === true,
      bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    },
  );
  app.use(router.routes());
  return app;
}

/**
 * Gives each request its id, turns every error and every unanswered 404/405/501 into
 * `application/problem+json`, then counts it (the status the client finally gets) and logs one
 * structured line for it; session ids appear only hashed.
 */
function frameRequests(logger: HttpLogger, countRequest: RequestCounter | undefined): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    // Node's own header (repeated ones joined with ", ", as `ctx.get` gives them), without Koa's delegation.
    const sent = ctx.req.headers['x-request-id'];
    const requestId = requestIdFrom(typeof sent === 'string' ? sent : undefined);
    ctx.state.requestId = requestId;
    // Straight to Node, as in `send`: a request id is one string, checked by `requestIdFrom`.
    ctx.res.setHeader('X-Request-Id', requestId);
    try {
      try {
        await next();
        if (ctx.body == null) refuseUnanswered(ctx);
      } catch (error) {
        answerProblem(ctx, error, logger);
      }
    } finally {
      countRequest?.(ctx, started);
      // Hashing the id costs more than the rest of the line: skip it all when nobody reads it.
      if (logger.isLevelEnabled?.('info') !== false) logRequest(ctx, logger, requestId, started);
    }
  };
}

function logRequest(ctx: Context, logger: HttpLogger, requestId: string, started: number): void {
  const id: unknown = (ctx as Context & { params?: Record<string, string> }).params?.id;
  logger.info(
    {
      requestId,
      method: ctx.method,
      route: routeOf(ctx),
      status: ctx.status,
      ms: Math.round((performance.now() - started) * 100) / 100,
      ...(typeof id === 'string' ? { session: logHash(id) } : {}),
      // The client's network only (IPv4 /24, IPv6 /48): enough to see where load comes from,
      // not who sent it. A session's own ip is never logged at all.
      client: ipAddressPrefix(ctx.ip),
    },
    'request',
  );
}

/** Throws the problem for a request nothing answered: no route (404), or not this method (405, 501). */
function refuseUnanswered(ctx: Context): void {
  if (ctx.status === 404) throw new HttpProblem('no-route', `No route for ${ctx.method} ${ctx.path}.`);
  if (ctx.status === 405) {
    throw new HttpProblem('method-not-allowed', `Allowed: ${ctx.response.get('Allow')}.`, { Allow: ctx.response.get('Allow') });
  }
  // The router answers a method it has never heard of (TRACE, PROPFIND) with 501. That is a
  // server error for a client's mistake, so monitoring would page on it: it is a 405 here.
  if (ctx.status === 501) {
    throw new HttpProblem('method-not-allowed', `${ctx.method} is not supported; allowed: ${ctx.response.get('Allow')}.`, {
      Allow: ctx.response.get('Allow'),
    });
  }
}

/** Answers an error as `application/problem+json`; anything unexpected is logged and a 500. */
function answerProblem(ctx: Context, error: unknown, logger: HttpLogger): void {
  const { problem, headers, expected } = problemFor(error);
  if (!expected) logger.error({ requestId: ctx.state.requestId, err: error }, 'request failed');
  ctx.set(headers);
  // A problem is about this request only; no cache may answer another with it.
  ctx.set('Cache-Control', 'no-store');
  ctx.status = problem.status;
  ctx.body = problem;
  ctx.type = PROBLEM_MEDIA_TYPE;
}
