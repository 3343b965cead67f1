/**
 * The service: configuration, composition root and the listener, for embedding or tests.
 * @packageDocumentation
 */
export { ConfigError, loadConfig, type Config, type StoreConfig } from './config.js';
export { buildContainer, type ContainerOverrides } from './container.js';
export type { Lifecycle } from './lifecycle.js';
export { createLogger } from './logger.js';
export { runServer, type RunningServer, type RunServerOptions } from './run-server.js';
export { TOKENS } from './tokens.js';
