import { pino, type DestinationStream, type Logger } from 'pino';

/** The service's JSON logger. Secrets are redacted by path in case a caller logs them by mistake. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'session-api' },
    redact: { paths: ['authorization', '*.authorization', 'token', '*.token', 'data', '*.data'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
