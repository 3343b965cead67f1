/**
 * The service as a whole, for embedding or tests: read the configuration, then run it.
 * Inversify composes it inside, but no container or token is part of this entry: what it wires
 * is an implementation detail, and its types stay out of the published declarations.
 * @packageDocumentation
 */
export { ConfigError, loadConfig, type Config, type StoreConfig } from './config.js';
export { createLogger } from './logger.js';
export { runServer, type RunningServer, type RunServerOptions } from './run-server.js';
