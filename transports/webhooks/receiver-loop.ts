import { setTimeout as timer } from 'node:timers/promises';
import { InvalidInputError, retryDelays, type Clock, type SessionEvent, type SessionEventLog, type Sleep } from '../../core/index.js';
import { attemptWebhook } from './webhook-attempt.js';
import type { WebhookLogger } from './webhook-logger.js';
import { webhookPayload } from './webhook-payload.js';
import type { WebhookReceiver } from './webhook-receiver.js';
import type { ReceiverMetrics } from './receiver-metrics.js';
import { webhookSignature } from './webhook-signature.js';

/** What one receiver's loop is given; see `WebhookDeliveryOptions` for each. */
export interface ReceiverLoopSettings {
  readonly log: SessionEventLog;
  readonly keys: readonly Uint8Array[];
  readonly owner: string;
  readonly clock: Clock;
  /** `undefined`: a platform timer that a stop cuts short. */
  readonly sleep: Sleep | undefined;
  readonly logger: WebhookLogger;
  readonly retryWindowMs: number;
  readonly leaseMs: number;
  readonly pollIntervalMs: number;
  readonly requestTimeoutMs: number;
  readonly backoff: { readonly baseDelayMs: number; readonly maxDelayMs: number };
  readonly random: () => number;
}

/** Why delivery from a cursor ended: the lease went to another process (or the cursor moved under us), or a stop. */
type Interrupted = 'lost' | 'stopped';

/**
 * Delivery to one receiver: holds its consumer lease, reads the log after the saved cursor one
 * event at a time, and POSTs each until a 2xx (then saves the cursor past it) or until the event
 * is older than the retry window (then drops it, counted). One event in flight, in log order: so
 * the events of each session arrive in order, and a handover re-sends at most the event in flight.
 * Nothing here is shared with another receiver's loop.
 */
export class ReceiverLoop {
  readonly #receiver: WebhookReceiver;
  readonly #s: ReceiverLoopSettings;
  readonly #signal: AbortSignal;
  #delivering = false;
  #delivered = 0;
  #failed = 0;
  #retries = 0;
  /** The time of the event being tried; `undefined` when caught up. */
  #pendingSince: number | undefined;
  #lastDeliveryLagMs: number | undefined;
  /** The cursor last saved by this loop while it held the lease. */
  #cursor: string | undefined;

  constructor(receiver: WebhookReceiver, settings: ReceiverLoopSettings, signal: AbortSignal) {
    this.#receiver = receiver;
    this.#s = settings;
    this.#signal = signal;
  }

  /** This loop's figures now. */
  metrics(): ReceiverMetrics {
    return {
      receiver: this.#receiver.label,
      delivering: this.#delivering,
      delivered: this.#delivered,
      failed: this.#failed,
      retries: this.#retries,
      lagMs: !this.#delivering ? undefined : this.#pendingSince === undefined ? 0 : Math.max(0, this.#s.clock.now() - this.#pendingSince),
      lastDeliveryLagMs: this.#lastDeliveryLagMs,
    };
  }

  /** Runs until the signal aborts; never throws (a failing event log is logged and waited out). */
  async run(): Promise<void> {
    const { log, owner, leaseMs, clock } = this.#s;
    const name = this.#receiver.consumer;
    let storeWaits = this.#storeDelays();
    while (!this.#signal.aborted) {
      try {
        const claim = await log.claimConsumer(name, owner, clock.now(), leaseMs);
        if (claim === 'taken') {
          this.#setDelivering(false);
          storeWaits = this.#storeDelays();
          await this.#pause(this.#s.pollIntervalMs);
          continue;
        }
        this.#cursor = claim.cursor ?? (await this.#startAtTail());
        storeWaits = this.#storeDelays();
        if (this.#cursor === undefined) continue;
        this.#setDelivering(true);
        const ended = await this.#deliverFrom(this.#cursor);
        if (ended === 'lost') this.#setDelivering(false);
      } catch (error) {
        if (this.#signal.aborted) break;
        if (error instanceof InvalidInputError && error.field === 'cursor') {
          // The log no longer knows the saved cursor (the store was replaced, say): there is no
          // telling what was missed, so say so loudly and go on from the end rather than stall forever.
          this.#s.logger.error({ receiver: this.#receiver.label }, 'the event log refused the saved webhook cursor: delivery restarts at the tail, events in between are not sent');
          this.#cursor = await this.#startAtTail().catch(() => undefined);
          continue;
        }
        this.#s.logger.warn({ receiver: this.#receiver.label, error: errorName(error) }, 'the event log failed; webhook delivery waits');
        await this.#pause(storeWaits.next().value ?? this.#s.backoff.maxDelayMs);
      }
    }
    await this.#release();
  }

  /**
   * The first claim of a receiver: starts at the end of the log, so a receiver added to a running
   * service gets what happens from now on, not a day of history; saved at once, so that a process
   * dying before it delivers anything does not make its successor start later still.
   */
  async #startAtTail(): Promise<string | undefined> {
    const { log, owner, leaseMs, clock } = this.#s;
    const tail = await log.tail(clock.now());
    return (await log.saveConsumer(this.#receiver.consumer, owner, tail, clock.now(), leaseMs)) ? tail : undefined;
  }

  async #deliverFrom(start: string): Promise<Interrupted> {
    const { log, owner, leaseMs, clock } = this.#s;
    let cursor = start;
    while (!this.#signal.aborted) {
      const page = await log.read(cursor, 1, clock.now());
      const event = page.events[0];
      if (event === undefined) {
        this.#pendingSince = undefined;
        await this.#pause(this.#s.pollIntervalMs);
        if (!(await this.#stillHeld(cursor))) return 'lost';
        continue;
      }
      this.#pendingSince = event.time;
      const outcome = await this.#deliver(event, cursor);
      if (outcome !== 'done') return outcome;
      if (!(await log.saveConsumer(this.#receiver.consumer, owner, page.cursor, clock.now(), leaseMs))) return 'lost';
      cursor = page.cursor;
      this.#cursor = cursor;
    }
    return 'stopped';
  }

  /** Tries one event until it is delivered or dropped (`done`), or delivery is interrupted. */
  async #deliver(event: SessionEvent, cursor: string): Promise<'done' | Interrupted> {
    const { clock, retryWindowMs, logger } = this.#s;
    const body = JSON.stringify(webhookPayload(event));
    const waits = retryDelays({ ...this.#s.backoff, budgetMs: Number.POSITIVE_INFINITY }, this.#s.random);
    for (let attempt = 1; ; attempt++) {
      const timestamp = Math.floor(clock.now() / 1000);
      const result = await attemptWebhook(this.#receiver, {
        headers: {
          'webhook-id': event.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': webhookSignature(this.#s.keys, event.id, timestamp, body),
        },
        body,
        timeoutMs: this.#s.requestTimeoutMs,
        signal: this.#signal,
        now: clock.now(),
      });
      if (this.#signal.aborted) return 'stopped';
      const now = clock.now();
      if (result.delivered) {
        this.#delivered++;
        this.#lastDeliveryLagMs = Math.max(0, now - event.time);
        return 'done';
      }
      const fields = { receiver: this.#receiver.label, eventId: event.id, type: event.type, attempt, reason: result.reason };
      if (now - event.time >= retryWindowMs) {
        this.#failed++;
        logger.warn({ ...fields, ageMs: now - event.time }, 'webhook dropped: not delivered within the retry window');
        return 'done';
      }
      this.#retries++;
      // The receiver's own Retry-After is honoured, within the backoff's cap.
      const wait = Math.min(this.#s.backoff.maxDelayMs, Math.max(waits.next().value ?? 0, result.retryAfterMs ?? 0));
      logger.warn({ ...fields, retryInMs: Math.round(wait) }, 'webhook attempt failed');
      const held = await this.#holdFor(wait, cursor);
      if (held !== 'held') return held;
    }
  }

  /** Waits `ms`, renewing the lease on the way so a long backoff does not hand the receiver over. */
  async #holdFor(ms: number, cursor: string): Promise<'held' | Interrupted> {
    const step = this.#s.leaseMs / 3;
    for (let left = ms; ; left -= step) {
      await this.#pause(Math.min(left, step));
      if (this.#signal.aborted) return 'stopped';
      if (!(await this.#stillHeld(cursor))) return 'lost';
      if (left <= step) return 'held';
    }
  }

  /** Renews the lease; false when another process has it, or moved the cursor while we did not hold it. */
  async #stillHeld(cursor: string): Promise<boolean> {
    const { log, owner, leaseMs, clock } = this.#s;
    const claim = await log.claimConsumer(this.#receiver.consumer, owner, clock.now(), leaseMs);
    return claim !== 'taken' && claim.cursor === cursor;
  }

  /** On a stop, hands the lease over at once (a lease ending now), so a standby need not wait it out. */
  async #release(): Promise<void> {
    const cursor = this.#cursor;
    if (!this.#delivering || cursor === undefined) return;
    this.#setDelivering(false);
    const { log, owner, clock } = this.#s;
    await log.saveConsumer(this.#receiver.consumer, owner, cursor, clock.now(), 0).catch(() => false);
  }

  #setDelivering(delivering: boolean): void {
    if (delivering === this.#delivering) return;
    this.#delivering = delivering;
    this.#pendingSince = undefined;
    this.#s.logger.info({ receiver: this.#receiver.label, owner: this.#s.owner }, delivering ? 'webhook lease taken: delivering' : 'webhook lease given up: this process no longer delivers');
  }

  #storeDelays(): Generator<number, void, undefined> {
    return retryDelays({ ...this.#s.backoff, budgetMs: Number.POSITIVE_INFINITY }, this.#s.random);
  }

  /** Waits, cut short by a stop. */
  async #pause(ms: number): Promise<void> {
    if (this.#signal.aborted || ms <= 0) return;
    if (this.#s.sleep === undefined) {
      await timer(ms, undefined, { signal: this.#signal }).catch(() => undefined);
      return;
    }
    const signal = this.#signal;
    let onAbort: () => void = () => undefined;
    const aborted = new Promise<void>((resolve) => {
      onAbort = resolve;
      signal.addEventListener('abort', onAbort, { once: true });
    });
    await Promise.race([this.#s.sleep(ms), aborted]);
    signal.removeEventListener('abort', onAbort);
  }
}

/** An error as a log line may name it: its code or class, never its message (a driver's may quote a URL). */
function errorName(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.name} (${code})` : error.name;
  }
  return typeof error;
}
