import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { BoundHistogram } from '../../transports/http/bound-histogram.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const LABELS = ['method', 'route', 'status'] as const;
// On a bound, between bounds, past the last, zero, and a label set with characters to escape.
const OBSERVED: [string, string, string, number][] = [
  ['GET', '/sessions/:id', '200', 0.001],
  ['GET', '/sessions/:id', '200', 0.0042],
  ['GET', '/sessions/:id', '200', 3],
  ['POST', '/sessions', '201', 0],
  ['GET', '/sessions/:id', '404', 0.5],
  ['GET', 'a"b\\c\nd', '200', 0.05],
];

/** The same observations through prom-client's own Counter and Histogram children, and through a BoundHistogram. */
function both(registryOf: () => Registry): { theirs: Registry; ours: Registry } {
  const theirs = registryOf();
  const requests = new Counter({ name: 'requests_total', help: 'Requests.', labelNames: LABELS, registers: [theirs] });
  const duration = new Histogram({ name: 'duration_seconds', help: 'Durations.', labelNames: LABELS, buckets: BUCKETS, registers: [theirs] });
  const ours = registryOf();
  const bound = new BoundHistogram({
    name: 'duration_seconds',
    help: 'Durations.',
    labelNames: LABELS,
    buckets: BUCKETS,
    registers: [ours],
    counter: { name: 'requests_total', help: 'Requests.' },
  });
  // A series bound and never observed is in neither exposition.
  requests.labels('DELETE', '/sessions/:id', '200');
  duration.labels('DELETE', '/sessions/:id', '200');
  bound.labels('DELETE', '/sessions/:id', '200');
  // Bound again for every observation, as prom-client's children may be: one series per label set.
  for (const [method, route, status, value] of OBSERVED) {
    requests.labels(method, route, status).inc();
    duration.labels(method, route, status).observe(value);
    bound.labels(method, route, status).observe(value);
  }
  return { theirs, ours };
}

describe('BoundHistogram', () => {
  it('is exposed line for line as prom-client exposes its Counter and Histogram', async () => {
    const { theirs, ours } = both(() => new Registry());
    const text = await theirs.metrics();
    expect(text).toMatch(/^duration_seconds_bucket\{le="0.01",method="GET",route="\/sessions\/:id",status="200"\} 2$/m);
    expect(await ours.metrics()).toBe(text);
  });

  it('gives the same JSON, and the same OpenMetrics text', async () => {
    const json = both(() => new Registry());
    expect(await json.ours.getMetricsAsJSON()).toEqual(await json.theirs.getMetricsAsJSON());
    const open = both(() => {
      const registry = new Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE>();
      registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
      return registry as unknown as Registry;
    });
    expect(await open.ours.metrics()).toBe(await open.theirs.metrics());
  });

  it('starts again from zero after a reset, as prom-client does', async () => {
    const { theirs, ours } = both(() => new Registry());
    theirs.resetMetrics();
    ours.resetMetrics();
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('refuses a value that is not a finite number', () => {
    const bound = new BoundHistogram({ name: 'x_seconds', help: 'X.', labelNames: ['a'], buckets: BUCKETS, registers: [new Registry()] });
    expect(() => bound.labels('1').observe(Number.NaN)).toThrow(TypeError);
  });
});
