/**
 * Webhook delivery of lifecycle events (issue 15): each receiver gets every event of the store's
 * event log, in order, at least once, signed as Standard Webhooks says, retried with backoff
 * within a window; across processes one delivers to each receiver at a time.
 * @packageDocumentation
 */
export {
  startWebhookDelivery,
  WEBHOOK_BACKOFF_DEFAULT,
  WEBHOOK_LEASE_DEFAULT_MS,
  WEBHOOK_POLL_INTERVAL_DEFAULT_MS,
  WEBHOOK_REQUEST_TIMEOUT_DEFAULT_MS,
  WEBHOOK_RETRY_WINDOW_DEFAULT_MS,
  type WebhookDelivery,
  type WebhookDeliveryOptions,
} from './webhook-delivery.js';
export type { ReceiverMetrics } from './receiver-metrics.js';
export type { WebhookLogger } from './webhook-logger.js';
export { webhookPayload, type WebhookPayload } from './webhook-payload.js';
export { webhookReceiver, webhookReceivers, type WebhookReceiver } from './webhook-receiver.js';
export { isWebhookSecret, webhookSigningKey } from './webhook-secret.js';
export { webhookSignature } from './webhook-signature.js';
