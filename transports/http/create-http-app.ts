import Koa, { type Context, type Middleware } from 'koa';
import type { SessionService } from '../../core/index.js';
import { bearerAuth } from './bearer-auth.js';
import { silentLogger, type HttpLogger } from './http-logger.js';
import { logHash } from './log-hash.js';
import { HttpProblem, problemFor, PROBLEM_MEDIA_TYPE } from './problem.js';
import { probeRoutes } from './probe-routes.js';
import { requestIdFrom } from './request-id.js';
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
  /** Extra middleware run for every request, after ids and errors are set up (metrics, say). */
  readonly middleware?: readonly Middleware[];
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
  app.use(answerProblems(logger));
  for (const middleware of options.middleware ?? []) app.use(middleware);

  const probes = probeRoutes(options.service, isDraining);
  app.use(probes.routes()).use(probes.allowedMethods());

  const sessions = sessionRoutes({
    service: options.service,
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
  });
  const tokens = options.apiTokens ?? [];
  if (tokens.length > 0) {
    const auth = bearerAuth(tokens);
    app.use((ctx, next) => (ctx.path === '/sessions' || ctx.path.startsWith('/sessions/') ? auth(ctx, next) : next()));
  }
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
      if (ctx.body == null && ctx.status === 501) {
        throw new HttpProblem(501, 'not-implemented', 'Not implemented', `${ctx.method} is not supported.`);
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

/** The route template that matched (`/sessions/:id`), never the raw path, so logs stay bounded. */
export function routeOf(ctx: Context): string {
  const matched: unknown = (ctx as Context & { _matchedRoute?: unknown })._matchedRoute;
  return typeof matched === 'string' ? matched : 'unmatched';
}
