/**
 * The service as a whole, for embedding or tests: read the configuration, then run it.
 * Inversify composes it inside, but no container or token is part of this entry: what it wires
 * is an implementation detail, and its types stay out of the published declarations.
 * @packageDocumentation
 */
export { ConfigError, loadConfig, type Config, type EventsConfig, type LogFormat, type StoreConfig, type WebhooksConfig } from './config.js';
export { createLogger, type LoggerOptions } from './logger.js';
export type { Env } from './setting.js';
export { nodeSha256 } from './node-sha256.js';
export { runServer, type RunningServer, type RunServerOptions } from './run-server.js';
