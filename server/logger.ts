import { pino, type DestinationStream, type Logger } from 'pino';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Applied to every line before it is written (see `secretScrubber`). */
  readonly scrub?: (line: string) => string;
}

/**
 * Field names that hold secrets wherever they appear in a logged object (one level deep for
 * pino's wildcards): tokens, passwords, AWS credentials, session data, and a session's context
 * that says who and where a person is (its ip and user agent: request lines log the client's
 * network only, see the transport).
 */
const REDACTED = ['authorization', 'token', 'apiTokens', 'password', 'secretAccessKey', 'sessionToken', 'credentials', 'data', 'ip', 'userAgent'];

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
