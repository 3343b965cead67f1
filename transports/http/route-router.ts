import type { Context, Middleware } from 'koa';
import { bearerCheck, type BearerCheck } from './bearer-auth.js';
import { decodeParams, paramNamesOf, routerPathOf, type DecodedParams } from './path-params.js';
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

/** One served route as the router holds it. */
export interface RouterLayer {
  /** The router's form of the template (`/sessions/:id`): what logs and metrics label a request with. */
  readonly path: string;
  /** The methods it answers, upper case; a GET route answers HEAD too (first, as @koa/router listed them). */
  readonly methods: readonly string[];
}

/** The table's routes, served by one Koa middleware. */
export interface TableRouter {
  /** The served routes, in table order. */
  readonly stack: readonly RouterLayer[];
  /** The middleware: answers what matches, and leaves 404, 405 (with `Allow`) and 501 for the rest. */
  routes(): Middleware;
}

/** A served route with what the router needs per request, all made once. */
interface Layer extends RouterLayer {
  /** The template's segments after the leading `/`; `undefined` where a parameter goes. */
  readonly segments: readonly (string | undefined)[];
  readonly paramNames: readonly string[];
  /** Where each parameter is among the segments. */
  readonly paramIndexes: readonly number[];
  run(ctx: Context, path: DecodedParams): Promise<void>;
}

// The methods the router implements: anything else is 501 (which the app answers as 405).
const IMPLEMENTED = new Set(['HEAD', 'OPTIONS', 'GET', 'PUT', 'PATCH', 'POST', 'DELETE']);

/**
 * One router for the whole table: one match per request, and 404, 405 and `Allow` from it.
 * Paths match exactly (RFC 3986: case-sensitive, no optional trailing slash), a parameter being
 * one whole non-empty segment, and each route runs its own guard before anything else, so
 * whatever the router dispatches to is guarded by that route's rule and nothing else decides.
 * Where two templates match (`/sessions/current` and `/sessions/{id}`), the one with fewer
 * parameters wins, whatever the table's order (the first of the table on a tie).
 *
 * It answers as @koa/router (`sensitive`, `strict`, `exclusive: 'specificity'`, with
 * `allowedMethods()`) did, without what that costs per request: matching every layer by its
 * regular expression, composing a middleware chain and reading the Host header.
 */
export function createRouter(table: readonly Route[], deps: RouteDeps, options: RouterOptions): TableRouter {
  const check = options.apiTokens.length > 0 ? bearerCheck(options.apiTokens) : undefined;
  const layers: Layer[] = [];
  for (const route of table) {
    if (route.servedWith && !route.servedWith(deps)) continue;
    const guard = guardOf(route.auth, options, check);
    const readInput = routeInputReader(route, options.bodyLimitBytes);
    const path = routerPathOf(route.path);
    const segments = path
      .slice(1)
      .split('/')
      .map((segment) => {
        if (!segment.includes(':')) return segment;
        // A parameter is a whole segment in every template of the table; anything else would need matching by pattern.
        if (!/^:\w+$/.test(segment)) throw new Error(`${route.operationId}: a path parameter must be a whole segment (${route.path})`);
        return undefined;
      });
    const method = route.method.toUpperCase();
    layers.push({
      path,
      methods: method === 'GET' ? ['HEAD', 'GET'] : [method],
      segments,
      paramNames: paramNamesOf(route.path),
      paramIndexes: segments.flatMap((segment, index) => (segment === undefined ? [index] : [])),
      async run(ctx, decoded) {
        guard?.(ctx);
        const read = readInput(ctx, decoded);
        const reply = await route.handle(read instanceof Promise ? await read : read, deps, ctx);
        send(ctx, route, reply);
      },
    });
  }
  // Candidates by segment count: a path only ever matches templates of its own length.
  const bySegments = new Map<number, Layer[]>();
  for (const layer of layers) bySegments.set(layer.segments.length, [...(bySegments.get(layer.segments.length) ?? []), layer]);

  return {
    stack: layers.map(({ path, methods }) => ({ path, methods })),
    routes: () => (ctx, next) => {
      const method = ctx.method;
      const wanted = method === 'HEAD' ? 'GET' : method;
      // Koa's path is null for a request-target without one; it matches nothing then.
      const requested: string = ctx.path || '';
      const segments = requested.charCodeAt(0) === 47 /* / */ ? requested.slice(1).split('/') : undefined;
      const candidates = segments === undefined ? undefined : bySegments.get(segments.length);
      let chosen: Layer | undefined;
      let matched: Layer[] | undefined;
      if (candidates !== undefined && segments !== undefined) {
        for (const layer of candidates) {
          if (!matches(layer, segments)) continue;
          (matched ??= []).push(layer);
          if (layer.methods[layer.methods.length - 1] === wanted && (chosen === undefined || layer.paramNames.length < chosen.paramNames.length)) chosen = layer;
        }
      }
      if (chosen === undefined || segments === undefined) return refuseUnmatched(ctx, next, matched ?? []);
      const routed = ctx as RoutedContext;
      routed._matchedRoute = chosen.path;
      const decoded = decodeParams(chosen.paramNames, chosen.paramIndexes.map((index) => segments[index] as string));
      routed.params = decoded.params;
      return chosen.run(ctx, decoded);
    },
  };
}

/**
 * What @koa/router's `allowedMethods()` did for a request no route took, once nothing after the
 * router answered it: 501 for a method it does not implement, 200 to OPTIONS and 405 to any
 * other method of a path some route has, each with `Allow`; a path no route has stays 404.
 */
async function refuseUnmatched(ctx: Context, next: () => Promise<unknown>, matched: readonly Layer[]): Promise<void> {
  await next();
  if (ctx.status !== 404) return;
  const allowed = [...new Set(matched.flatMap((layer) => layer.methods))].join(', ');
  if (!IMPLEMENTED.has(ctx.method)) {
    ctx.status = 501;
    ctx.set('Allow', allowed);
  } else if (allowed === '') {
    return;
  } else if (ctx.method === 'OPTIONS') {
    ctx.status = 200;
    ctx.body = '';
    ctx.set('Allow', allowed);
  } else {
    ctx.status = 405;
    ctx.set('Allow', allowed);
  }
}

/** The context as the router leaves it: the template that matched, as @koa/router named it. */
interface RoutedContext extends Context {
  _matchedRoute?: string;
  /** The path parameters, decoded where they could be: the request log reads the id. */
  params?: Record<string, string>;
}

function matches(layer: Layer, segments: readonly string[]): boolean {
  for (let i = 0; i < segments.length; i++) {
    const expected = layer.segments[i];
    const actual = segments[i] as string;
    if (expected === undefined ? actual === '' : actual !== expected) return false;
  }
  return true;
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
