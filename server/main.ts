#!/usr/bin/env node
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { runServer } from './run-server.js';

// The bin: `session-api` serves; `session-api create-table` makes the DynamoDB table.
// Configuration comes from the environment only.
if (process.argv[2] === 'create-table') {
  // Imported only here: the AWS SDK is an optional dependency.
  const { runCreateTableCommand } = await import('./create-table-command.js');
  process.exit(await runCreateTableCommand());
}
if (process.argv[2] !== undefined) {
  process.stderr.write(`session-api: unknown command "${process.argv[2]}"; use no command to serve, or create-table\n`);
  process.exit(2);
}

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`session-api: ${error.message}\n`);
  process.exit(2);
}

const logger = createLogger(config.logLevel);
const running = await runServer(config, logger).catch((error: unknown) => {
  logger.fatal({ err: error }, 'could not start');
  process.exit(1);
});

let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  running.close(config.shutdownDelayMs).then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, 'unclean shutdown');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
