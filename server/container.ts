import { Container } from 'inversify';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createSessionService, systemClock, type Clock } from '../core/index.js';
import { createHttpApp } from '../transports/http/index.js';
import type { Config } from './config.js';
import { instrumentStore } from './instrumented-store.js';
import type { Lifecycle } from './lifecycle.js';
import { nodeSecretGenerator } from './node-secret-generator.js';
import { nodeSha256 } from './node-sha256.js';
import { openSessionStore, type OpenedStore } from './session-store-factory.js';
import { TOKENS } from './tokens.js';

/** What a caller may swap in (tests: a controlled clock). */
export interface ContainerOverrides {
  readonly clock?: Clock;
}

const OpenedStoreToken = Symbol('OpenedStore');

/**
 * The composition root: the only place that knows every part. Everything is a singleton; the
 * store's client is closed by `container.unbindAllAsync()`.
 */
export function buildContainer(config: Config, logger: Logger, overrides: ContainerOverrides = {}): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(TOKENS.Config).toConstantValue(config);
  container.bind(TOKENS.Logger).toConstantValue(logger);
  container.bind(TOKENS.Clock).toConstantValue(overrides.clock ?? systemClock);
  container.bind(TOKENS.Lifecycle).toConstantValue({ draining: false });
  container
    .bind<OpenedStore>(OpenedStoreToken)
    .toResolvedValue(() =>
      openSessionStore(
        config.store,
        (fields, message) => logger.warn(fields, message),
        config.events === undefined ? undefined : { retentionMs: config.events.retentionMs },
      ),
    )
    .onDeactivation((opened) => opened.close());
  container.bind(TOKENS.MetricsRegistry).toResolvedValue(() => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    return registry;
  });
  container
    .bind(TOKENS.SessionStore)
    .toResolvedValue(
      (opened: OpenedStore, registry: Registry) => instrumentStore(opened.store, config.store.kind, registry),
      [OpenedStoreToken, TOKENS.MetricsRegistry],
    );
  container
    .bind(TOKENS.SessionService)
    .toResolvedValue(
      (store, clock: Clock, cfg: Config) =>
        // Node's synchronous SHA-256: every create and resolve hashes a token; and Node's CSPRNG
        // drawn in batches: every create draws a secret.
        createSessionService({ store, clock, sha256: nodeSha256, secrets: nodeSecretGenerator(), policy: cfg.policy, limits: cfg.limits, maxSessionsPerUser: cfg.sessionLimit?.max, sessionLimitPolicy: cfg.sessionLimit?.policy }),
      [TOKENS.SessionStore, TOKENS.Clock, TOKENS.Config],
    );
  container
    .bind(TOKENS.HttpApp)
    .toResolvedValue(
      (service, cfg: Config, log: Logger, lifecycle: Lifecycle, registry: Registry) =>
        createHttpApp({
          service,
          logger: log,
          bodyLimitBytes: cfg.bodyLimitBytes,
          apiTokens: cfg.apiTokens,
          isDraining: () => lifecycle.draining,
          metrics: { registry, requireToken: cfg.metricsRequireToken },
        }),
      [TOKENS.SessionService, TOKENS.Config, TOKENS.Logger, TOKENS.Lifecycle, TOKENS.MetricsRegistry],
    );
  return container;
}
