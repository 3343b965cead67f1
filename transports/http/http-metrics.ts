import type { Context } from 'koa';
import type { Registry } from 'prom-client';
import { BoundHistogram, type BoundSeries } from './bound-histogram.js';
import { routeOf } from './route-of.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Counts one answered request that started at `started` (`performance.now()`). */
export type RequestCounter = (ctx: Context, started: number) => void;

/**
 * Counts and times every request by route template, method and status. Labels come from
 * bounded sets only (never the raw path), so series cannot grow with traffic.
 */
export function httpMetrics(registry: Registry): RequestCounter {
  const duration = new BoundHistogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by route template, method and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
    counter: { name: 'http_requests_total', help: 'HTTP requests answered, by route template, method and status.' },
  });
  // The label sets are few: their series are kept, found by route, method and status, without
  // building a key per request.
  const series = new Map<string, Map<string, Map<number, BoundSeries>>>();
  const seriesFor = (method: string, route: string, status: number): BoundSeries => {
    let ofRoute = series.get(route);
    if (!ofRoute) series.set(route, (ofRoute = new Map()));
    let ofMethod = ofRoute.get(method);
    if (!ofMethod) ofRoute.set(method, (ofMethod = new Map()));
    let found = ofMethod.get(status);
    if (!found) {
      found = duration.labels(method, route, String(status));
      ofMethod.set(status, found);
    }
    return found;
  };
  return (ctx, started) => {
    seriesFor(METHODS.has(ctx.method) ? ctx.method : 'OTHER', routeOf(ctx), ctx.status).observe((performance.now() - started) / 1000);
  };
}
