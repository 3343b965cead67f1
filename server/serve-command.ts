import type { DestinationStream } from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { openPrettyLogStream } from './pretty-log-stream.js';
import { stopWhenOrphaned } from './orphan-watch.js';
import { runServer } from './run-server.js';
import type { Scrub } from './secret-scrubber.js';
import { missingPackageReason, startUpFailureLine } from './start-up-failure.js';

/**
 * `session-api` (or `session-api serve`): reads the configuration, listens, and drains on
 * SIGTERM or SIGINT. What the operator can fix (a setting, a missing package, a port in use) is
 * one line on stderr and exit code 2; anything else is logged with its stack and exit code 1.
 */
export async function runServeCommand(scrub: Scrub): Promise<void> {
  const fail = (line: string): never => {
    process.stderr.write(`${scrub(`session-api: ${line}`)}\n`);
    process.exit(2);
  };
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return fail(error.message);
  }
  let destination: DestinationStream | undefined;
  if (config.logFormat === 'pretty') {
    destination = await openPrettyLogStream().catch((error: unknown) => {
      const reason = missingPackageReason(error);
      if (reason === undefined) throw error;
      return fail(reason);
    });
  }
  const logger = createLogger(config.logLevel, destination, { scrub });
  // Signals are taken from here on: one that arrives while start-up still waits for the store
  // must drain once it is done, not kill the process on the spot.
  let stopping = false;
  let drain = (): void => {};
  const stop = (signal: NodeJS.Signals | 'orphaned'): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    drain();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  stopWhenOrphaned(process.env, () => stop('orphaned'));

  const running = await runServer(config, logger).catch((error: unknown) => {
    const line = startUpFailureLine(error, config);
    if (line !== undefined) return fail(line);
    logger.fatal({ err: error }, 'could not start');
    process.exit(1);
  });
  drain = () =>
    void running.close(config.shutdownDelayMs).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'unclean shutdown');
        process.exit(1);
      },
    );
  if (stopping) drain();
}
