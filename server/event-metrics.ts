import { Counter, Gauge, type Registry } from 'prom-client';
import type { ReceiverMetrics } from '../transports/webhooks/index.js';

/** Counts the sweeper's steps: how many expired sessions each claimed, or that it failed. */
export type SweepCounter = (outcome: { readonly claimed: number } | { readonly failed: unknown }) => void;

/**
 * The sweeper's metrics: `session_expiry_sweeps_total` by outcome, and
 * `session_events_expired_total`, the expired sessions this process claimed (each recorded as
 * exactly one `session.expired`: summed over the processes, the expiries recorded).
 */
export function sweepMetrics(registry: Registry): SweepCounter {
  const sweeps = new Counter({
    name: 'session_expiry_sweeps_total',
    help: 'Steps of this process\u2019s expiry sweeper, by outcome (ok, failed).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const expired = new Counter({
    name: 'session_events_expired_total',
    help: 'Expired sessions this process\u2019s sweeper claimed, each recorded as one session.expired.',
    registers: [registry],
  });
  const ok = sweeps.labels('ok');
  const failed = sweeps.labels('failed');
  expired.inc(0);
  return (outcome) => {
    if ('failed' in outcome) {
      failed.inc();
      return;
    }
    ok.inc();
    expired.inc(outcome.claimed);
  };
}

/**
 * The webhook deliverer's metrics, read from its own figures at each scrape (`figures`, e.g.
 * `delivery.metrics()`), so delivery keeps no metrics library of its own: by receiver (as its
 * label names it, never with credentials), events delivered, failed (dropped past the retry
 * window) and retried, whether this process delivers to it, and the lag.
 */
export function webhookMetrics(registry: Registry, figures: () => readonly ReceiverMetrics[]): void {
  const labelNames = ['receiver'] as const;
  // Each collect sets the series from the figures of this process, which only grow.
  const counter = (name: string, help: string, pick: (m: ReceiverMetrics) => number) =>
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const m of figures()) this.inc({ receiver: m.receiver }, pick(m));
      },
    });
  counter('session_webhook_delivered_total', 'Events a receiver answered with a 2xx, delivered by this process.', (m) => m.delivered);
  counter('session_webhook_failed_total', 'Events dropped for a receiver after retrying past WEBHOOK_RETRY_HOURS, by this process.', (m) => m.failed);
  counter('session_webhook_retries_total', 'Failed webhook attempts that were tried again, by this process.', (m) => m.retries);
  new Gauge({
    name: 'session_webhook_delivering',
    help: 'Whether this process holds the receiver\u2019s lease and delivers to it (1) or stands by (0).',
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const m of figures()) this.set({ receiver: m.receiver }, m.delivering ? 1 : 0);
    },
  });
  new Gauge({
    name: 'session_webhook_lag_seconds',
    help: 'How far behind delivery to the receiver is: now minus the time of the oldest event not yet delivered (0 when caught up); only where this process delivers.',
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const m of figures()) if (m.lagMs !== undefined) this.set({ receiver: m.receiver }, m.lagMs / 1000);
    },
  });
  new Gauge({
    name: 'session_webhook_last_delivery_lag_seconds',
    help: 'For the last event delivered to the receiver: when its 2xx came minus the event\u2019s time.',
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const m of figures()) if (m.lastDeliveryLagMs !== undefined) this.set({ receiver: m.receiver }, m.lastDeliveryLagMs / 1000);
    },
  });
}
