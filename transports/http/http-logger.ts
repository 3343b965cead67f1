/** The part of a pino-style logger the transport uses; pino's `Logger` fits as it is. */
export interface HttpLogger {
  /** A request answered. */
  info(fields: object, message?: string): void;
  /** Something an operator should know about. */
  warn(fields: object, message?: string): void;
  /** A request that failed unexpectedly (a 500). */
  error(fields: object, message?: string): void;
  /** Whether lines of `level` are written at all; when absent, they are assumed to be. */
  isLevelEnabled?(level: string): boolean;
}

/** A logger that drops everything, for embedding without logs. */
export const silentLogger: HttpLogger = { info() {}, warn() {}, error() {} };
