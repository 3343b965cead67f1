/** The part of a pino-style logger delivery uses; pino's `Logger` fits as it is. Fields never hold a secret. */
export interface WebhookLogger {
  /** A lease taken or handed over. */
  info(fields: object, message?: string): void;
  /** An attempt that failed, an event dropped, an event log that failed. */
  warn(fields: object, message?: string): void;
  /** Something that needs an operator: the log refused the saved cursor. */
  error(fields: object, message?: string): void;
}
