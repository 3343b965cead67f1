import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { SWEEP_BUDGET_DEFAULT, type Clock, type SessionEventLog, type SessionService } from '../core/index.js';
import { startWebhookDelivery } from '../transports/webhooks/index.js';
import type { EventsConfig } from './config.js';
import { sweepMetrics, webhookMetrics } from './event-metrics.js';
import { startExpirySweeper } from './expiry-sweeper.js';
import { startRecordedEventsCounter } from './recorded-events-counter.js';

/** What runs in the background of a process with events on. */
export interface EventWork {
  /** Stops the sweeper, the webhook deliveries and the count of recorded events; resolves once all have. */
  stop(): Promise<void>;
}

/** The parts the background work runs on. */
export interface EventWorkParts {
  readonly service: Pick<SessionService, 'sweepExpired'>;
  readonly log: SessionEventLog;
  readonly clock: Clock;
  readonly registry: Registry;
  readonly logger: Logger;
}

/**
 * Starts the expiry sweeper (a step every EVENTS_EXPIRY_LAG_SECONDS / 2, so each expiry is
 * recorded within the lag of its deadline), the count of recorded events and, with WEBHOOK_URLS,
 * webhook delivery, with their metrics. Neither touches `/ready`: a receiver that is down, or a sweep that fails, is logged and
 * counted, not a reason to take the process out of rotation.
 */
export function startEventWork(config: EventsConfig, parts: EventWorkParts): EventWork {
  const { service, registry, logger } = parts;
  const sweeper = startExpirySweeper({
    sweep: (budget) => service.sweepExpired(budget),
    budget: SWEEP_BUDGET_DEFAULT,
    intervalMs: config.expiryLagMs / 2,
    logger: logger.child({ component: 'expiry-sweeper' }),
    onStep: sweepMetrics(registry),
  });
  const { webhooks } = config;
  const delivery =
    webhooks === undefined
      ? undefined
      : startWebhookDelivery({
          log: parts.log,
          urls: webhooks.urls,
          secret: webhooks.secret,
          retryWindowMs: webhooks.retryMs,
          clock: parts.clock,
          logger: logger.child({ component: 'webhooks' }),
        });
  if (delivery !== undefined) webhookMetrics(registry, () => delivery.metrics());
  const recorded = startRecordedEventsCounter(parts.log, parts.clock, registry);
  return {
    stop: async () => {
      await Promise.all([sweeper.stop(), delivery?.stop(), recorded.stop()]);
    },
  };
}
