import type { Logger } from 'pino';
import type { Config, StoreConfig } from './config.js';
import { withoutCredentials } from './url-credentials.js';
import { VERSION } from './version.js';

/** Where the store is, as people may read it: never with credentials. */
export function describeStore(store: StoreConfig): string {
  switch (store.kind) {
    case 'memory':
      return 'memory (this process)';
    case 'redis':
      return store.url !== undefined
        ? `redis at ${withoutCredentials(store.url)}`
        : `redis cluster at ${(store.clusterNodes ?? []).join(',')}`;
    case 'dynamodb':
      return `dynamodb table ${store.tableName} at ${store.endpoint === undefined ? `AWS ${store.region}` : withoutCredentials(store.endpoint)}`;
  }
}

/**
 * The start-up lines: at most one warning if the store did not answer in time (its reason, no
 * stack: the store being away is an outage, not a bug), then one line saying what runs where,
 * and with events on one line saying what they do.
 */
export function reportStart(logger: Logger, config: Config, port: number, storeError: unknown): void {
  const store = describeStore(config.store);
  if (storeError !== undefined) {
    const reason = storeError instanceof Error ? storeError.message : String(storeError);
    logger.warn(
      { store: config.store.kind, reason },
      `session store ${store} not answering after ${config.storeWaitMs} ms (${reason}); serving anyway, /ready answers 503 until it does`,
    );
  }
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const address = `http://${host}:${port}`;
  logger.info(
    { version: VERSION, address, port, store: config.store.kind, storeAt: store },
    `session-api ${VERSION} listening on ${address}, sessions in ${store}`,
  );
  const { events } = config;
  if (events !== undefined) {
    // Receivers are counted, not listed: a URL's path may itself be a credential.
    const receivers = events.webhooks?.urls.length ?? 0;
    logger.info(
      { retentionMs: events.retentionMs, sweepIntervalMs: events.expiryLagMs / 2, webhookReceivers: receivers },
      `lifecycle events recorded (kept ${events.retentionMs / 3_600_000} h), expired sessions swept every ${events.expiryLagMs / 2} ms, ` +
        (receivers === 0 ? 'no webhooks' : `webhooks to ${receivers} receiver${receivers === 1 ? '' : 's'}`),
    );
  }
}
