import { randomUUID } from 'node:crypto';
import { systemClock, type Clock, type SessionEventLog, type Sleep } from '../../core/index.js';
import { ReceiverLoop } from './receiver-loop.js';
import type { ReceiverMetrics } from './receiver-metrics.js';
import type { WebhookLogger } from './webhook-logger.js';
import { webhookReceivers } from './webhook-receiver.js';
import { webhookSigningKey } from './webhook-secret.js';

/** How long an event is retried (`WEBHOOK_RETRY_HOURS` default): 24 hours. */
export const WEBHOOK_RETRY_WINDOW_DEFAULT_MS = 24 * 60 * 60 * 1000;
/** How long a receiver may take to answer one request: 15 s, the low end of what Standard Webhooks recommends. */
export const WEBHOOK_REQUEST_TIMEOUT_DEFAULT_MS = 15_000;
/** How long a process holds a receiver without renewing: past it, another process takes over. */
export const WEBHOOK_LEASE_DEFAULT_MS = 60_000;
/** How often a caught-up loop looks for new events, and a standby for a lease to take. */
export const WEBHOOK_POLL_INTERVAL_DEFAULT_MS = 1000;
/** Backoff between attempts: full jitter under 1 s, 2 s, 4 s, ... up to 5 min. */
export const WEBHOOK_BACKOFF_DEFAULT = { baseDelayMs: 1000, maxDelayMs: 5 * 60 * 1000 } as const;

/** What `startWebhookDelivery` needs. */
export interface WebhookDeliveryOptions {
  /** The store's event log (`SessionStore.events`). */
  readonly log: SessionEventLog;
  /** The receivers (`WEBHOOK_URLS`): `http:` or `https:`, user-info sent as Basic credentials. */
  readonly urls: readonly string[];
  /**
   * The Standard Webhooks secret (`WEBHOOK_SECRET`, `whsec_<base64>`), or several while rotating
   * one: each signs every webhook.
   */
  readonly secret: string | readonly string[];
  /** How long an event is retried before it is dropped as failed (ms, from the event's time); default 24 h. */
  readonly retryWindowMs?: number | undefined;
  /** This process, as the holder of leases; default a random id. Distinct for every process. */
  readonly owner?: string | undefined;
  /** Default the system clock. Leases, backoff deadlines, the retry window and lag all read it. */
  readonly clock?: Clock | undefined;
  /** Every wait goes through it; default a timer that a stop cuts short. */
  readonly sleep?: Sleep | undefined;
  readonly logger?: WebhookLogger | undefined;
  /** Default `WEBHOOK_LEASE_DEFAULT_MS`; must exceed the request timeout. */
  readonly leaseMs?: number | undefined;
  readonly pollIntervalMs?: number | undefined;
  readonly requestTimeoutMs?: number | undefined;
  readonly backoff?: { readonly baseDelayMs: number; readonly maxDelayMs: number } | undefined;
  /** The jitter's source, in [0, 1); default `Math.random`. */
  readonly random?: (() => number) | undefined;
  /** Stops delivery when it aborts, as `stop()` does. */
  readonly signal?: AbortSignal | undefined;
}

/** Delivery running in this process. */
export interface WebhookDelivery {
  /** Each receiver's figures, in the order of `urls`. */
  metrics(): readonly ReceiverMetrics[];
  /**
   * Stops every loop (requests in flight are aborted, their events stay unsaved and are sent
   * again by whoever delivers next) and hands each lease over; resolves when all have stopped.
   */
  stop(): Promise<void>;
}

const quiet: WebhookLogger = { info() {}, warn() {}, error() {} };

/**
 * Starts one delivery loop per receiver (see `ReceiverLoop`): independent of each other and of
 * any request, so a receiver that is slow or down delays nothing but itself. Throws at once for a
 * bad URL or secret, never quoting either.
 */
export function startWebhookDelivery(options: WebhookDeliveryOptions): WebhookDelivery {
  const receivers = webhookReceivers(options.urls);
  const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret;
  if (secrets.length === 0) throw new Error('webhooks need a secret');
  const keys = secrets.map(webhookSigningKey);
  const requestTimeoutMs = options.requestTimeoutMs ?? WEBHOOK_REQUEST_TIMEOUT_DEFAULT_MS;
  const leaseMs = options.leaseMs ?? WEBHOOK_LEASE_DEFAULT_MS;
  // A request still in flight when its lease ends would race the next holder's.
  if (!(leaseMs > requestTimeoutMs)) throw new Error(`the webhook lease (${leaseMs} ms) must be longer than the request timeout (${requestTimeoutMs} ms)`);
  const retryWindowMs = options.retryWindowMs ?? WEBHOOK_RETRY_WINDOW_DEFAULT_MS;
  if (!(retryWindowMs >= 0)) throw new Error('the webhook retry window must not be negative');

  const controller = new AbortController();
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted === true) controller.abort();
  const settings = {
    log: options.log,
    keys,
    owner: options.owner ?? randomUUID(),
    clock: options.clock ?? systemClock,
    sleep: options.sleep,
    logger: options.logger ?? quiet,
    retryWindowMs,
    leaseMs,
    pollIntervalMs: options.pollIntervalMs ?? WEBHOOK_POLL_INTERVAL_DEFAULT_MS,
    requestTimeoutMs,
    backoff: options.backoff ?? WEBHOOK_BACKOFF_DEFAULT,
    random: options.random ?? Math.random,
  };
  const loops = receivers.map((receiver) => new ReceiverLoop(receiver, settings, controller.signal));
  const running = Promise.all(loops.map((loop) => loop.run()));
  return {
    metrics: () => loops.map((loop) => loop.metrics()),
    stop: async () => {
      controller.abort();
      options.signal?.removeEventListener('abort', onAbort);
      await running;
    },
  };
}
