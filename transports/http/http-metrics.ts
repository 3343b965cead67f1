import type { Context } from 'koa';
import { Counter, Histogram, type Registry } from 'prom-client';
import { routeOf } from './route-of.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Counts one answered request that started at `started` (`performance.now()`). */
export type RequestCounter = (ctx: Context, started: number) => void;

/**
 * Counts and times every request by route template, method and status. Labels come from
 * bounded sets only (never the raw path), so series cannot grow with traffic.
 */
export function httpMetrics(registry: Registry): RequestCounter {
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route template, method and status.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by route template, method and status.',
    labelNames,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  // prom-client hashes a label set on every call; the sets are few, so keep their children, found
  // by route, method and status, without building a key per request.
  type Series = { requests: Counter.Internal; duration: Histogram.Internal<(typeof labelNames)[number]> };
  const series = new Map<string, Map<string, Map<number, Series>>>();
  const seriesFor = (method: string, route: string, status: number): Series => {
    let ofRoute = series.get(route);
    if (!ofRoute) series.set(route, (ofRoute = new Map()));
    let ofMethod = ofRoute.get(method);
    if (!ofMethod) ofRoute.set(method, (ofMethod = new Map()));
    let found = ofMethod.get(status);
    if (!found) {
      found = { requests: requests.labels(method, route, String(status)), duration: duration.labels(method, route, String(status)) };
      ofMethod.set(status, found);
    }
    return found;
  };
  return (ctx, started) => {
    const { requests: count, duration: time } = seriesFor(METHODS.has(ctx.method) ? ctx.method : 'OTHER', routeOf(ctx), ctx.status);
    count.inc();
    time.observe((performance.now() - started) / 1000);
  };
}
