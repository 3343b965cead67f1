import { pino, type DestinationStream, type Logger } from 'pino';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Applied to every line before it is written (see `secretScrubber`). */
  readonly scrub?: (line: string) => string;
}

/**
 * Field names that hold secrets wherever they appear in a logged object (one level deep for
 * pino's wildcards): tokens, passwords, AWS credentials, session data.
 */
const REDACTED = ['authorization', 'token', 'apiTokens', 'password', 'secretAccessKey', 'sessionToken', 'credentials', 'data'];

/** The service's JSON logger (stdout unless `destination`). Secrets are redacted by path and, with `scrub`, by value. */
export function createLogger(level: string, destination?: DestinationStream, options: LoggerOptions = {}): Logger {
  const settings = {
    level,
    base: { service: 'session-api' },
    redact: {
      paths: REDACTED.flatMap((field) => [field, `*.${field}`]).concat(['req.headers.authorization', 'err.config.credentials']),
      censor: '[redacted]',
    },
  };
  const target = destination ?? pino.destination({ dest: 1, sync: false });
  const { scrub } = options;
  return pino(settings, scrub === undefined ? target : { write: (line: string) => target.write(scrub(line)) });
}
