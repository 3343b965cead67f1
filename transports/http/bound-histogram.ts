import type { Metric, Registry } from 'prom-client';

/** One label set of a {@link BoundHistogram}, bound once: observing is a bucket search and three additions. */
export interface BoundSeries {
  observe(value: number): void;
}

/** What a {@link BoundHistogram} is made of, as prom-client's `Histogram` takes it. */
export interface BoundHistogramOptions<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  /** Upper bounds, ascending. */
  readonly buckets: readonly number[];
  readonly registers: readonly Registry[];
  /** Also expose each series' count as this counter (`<name>_total`, same labels and help of its own). */
  readonly counter?: { readonly name: string; readonly help: string };
}

interface Series {
  readonly labels: Readonly<Record<string, string>>;
  /** Observations per bucket (not cumulative); the last slot is past the highest bound. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/** A value as prom-client's registry writes it out: `labels` then `sharedLabels` (the series' own). */
interface ExportedValue {
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  value: number;
  metricName?: string;
  exemplar?: null;
}

/**
 * A histogram exposed exactly as prom-client's `Histogram` (same lines, same order), for label
 * sets bound once with `labels()`. prom-client's own child re-validates and re-hashes its labels
 * into a string key on every `observe`, which was most of the metrics' cost per request; here
 * a bound series holds its counts itself. With `counter`, the series' counts are a counter too,
 * so a request is counted and timed by one call (and `reset` of either resets both).
 */
export class BoundHistogram<L extends string> {
  readonly #name: string;
  readonly #help: string;
  readonly #labelNames: readonly L[];
  readonly #bounds: readonly number[];
  readonly #series: Series[] = [];
  readonly #bound = new Map<string, BoundSeries>();

  constructor(options: BoundHistogramOptions<L>) {
    this.#name = options.name;
    this.#help = options.help;
    this.#labelNames = options.labelNames;
    this.#bounds = [...options.buckets];
    // The counter first, as it was registered before the histogram when both were prom-client's.
    const metrics: Metric[] = options.counter ? [this.#counterMetric(options.counter.name, options.counter.help)] : [];
    metrics.push(this.#histogramMetric());
    // The registry asks a metric only for what these objects give (`get`, `reset`): prom-client's interface, not its classes.
    for (const registry of options.registers) for (const metric of metrics) registry.registerMetric(metric);
  }

  /** The series of these label values, in `labelNames` order (made the first time; call it once per set and keep it). */
  labels(...values: string[]): BoundSeries {
    // Bound again, the same series: two of one label set would be a duplicate in the exposition.
    const key = values.join('\u0000');
    const bound = this.#bound.get(key);
    if (bound !== undefined) return bound;
    const labels: Record<string, string> = {};
    this.#labelNames.forEach((name, index) => (labels[name] = values[index] ?? ''));
    const series: Series = { labels, counts: new Float64Array(this.#bounds.length + 1), sum: 0, count: 0 };
    this.#series.push(series);
    const bounds = this.#bounds;
    const made: BoundSeries = {
      observe(value) {
        if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
        let slot = 0;
        while (slot < bounds.length && value > bounds[slot]!) slot++;
        series.counts[slot]! += 1;
        series.sum += value;
        series.count += 1;
      },
    };
    this.#bound.set(key, made);
    return made;
  }

  #values(): ExportedValue[] {
    const bucket = `${this.#name}_bucket`;
    const values: ExportedValue[] = [];
    for (const series of this.#series) {
      // prom-client writes only the series that were observed (a bound child holds none until then).
      if (series.count === 0) continue;
      let below = 0;
      this.#bounds.forEach((bound, slot) => {
        below += series.counts[slot]!;
        values.push({ labels: { le: bound }, sharedLabels: series.labels, value: below, metricName: bucket, exemplar: null });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels: series.labels, value: series.count, metricName: bucket, exemplar: null });
      values.push({ labels: {}, sharedLabels: series.labels, value: series.sum, metricName: `${this.#name}_sum` });
      values.push({ labels: {}, sharedLabels: series.labels, value: series.count, metricName: `${this.#name}_count` });
    }
    return values;
  }

  #reset(): void {
    for (const series of this.#series) {
      series.counts.fill(0);
      series.sum = 0;
      series.count = 0;
    }
  }

  #histogramMetric(): Metric {
    const metric = {
      name: this.#name,
      help: this.#help,
      type: 'histogram',
      aggregator: 'sum',
      getForPromString: async () => ({ name: this.#name, help: this.#help, type: 'histogram', values: this.#values(), aggregator: 'sum' }),
      // As prom-client's `get`: the series' labels after `le`, in one object.
      get: async () => ({
        name: this.#name,
        help: this.#help,
        type: 'histogram',
        aggregator: 'sum',
        values: this.#values().map(({ labels, sharedLabels, ...rest }) => ({ ...rest, labels: { ...labels, ...sharedLabels } })),
      }),
      reset: () => this.#reset(),
    };
    return metric as unknown as Metric;
  }

  #counterMetric(name: string, help: string): Metric {
    const values = () => this.#series.filter((series) => series.count > 0).map((series) => ({ value: series.count, labels: series.labels }));
    const metric = {
      name,
      help,
      type: 'counter',
      aggregator: 'sum',
      // `metric.name`: an OpenMetrics registry renames a counter (drops `_total`) before it asks.
      get: async () => ({ help, name: metric.name, type: 'counter', values: values(), aggregator: 'sum' }),
      reset: () => this.#reset(),
    };
    return metric as unknown as Metric;
  }
}
