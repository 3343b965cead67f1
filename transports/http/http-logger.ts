/** The part of a pino-style logger the transport uses; pino's `Logger` fits as it is. */
export interface HttpLogger {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/** A logger that drops everything, for embedding without logs. */
export const silentLogger: HttpLogger = { info() {}, warn() {}, error() {} };
