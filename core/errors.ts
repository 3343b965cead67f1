/** What went wrong, as a stable code a transport can map (HTTP status, gRPC code, ...). */
export type SessionErrorCode =
  | 'not_found'
  | 'invalid_input'
  | 'version_conflict'
  | 'store_unavailable'
  | 'payload_too_large'
  | 'token_taken'
  | 'session_limit'
  | 'user_mismatch'
  | 'reauthentication_required'
  | 'events_disabled';

/** The base of every error the core throws on purpose. */
export abstract class SessionError extends Error {
  /** The kind of failure. */
  abstract readonly code: SessionErrorCode;
}

/** The session does not exist or has expired; the two are indistinguishable on purpose. */
export class SessionNotFoundError extends SessionError {
  readonly code = 'not_found';
  override readonly name = 'SessionNotFoundError';
  constructor() {
    super('session not found');
  }
}

/** A caller-supplied value breaks a rule; `field` names it. */
export class InvalidInputError extends SessionError {
  readonly code = 'invalid_input';
  override readonly name = 'InvalidInputError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** The session is not at a version the caller named (HTTP `If-Match`). */
export class VersionConflictError extends SessionError {
  readonly code = 'version_conflict';
  override readonly name = 'VersionConflictError';
  constructor(
    /** The version the caller named, or the versions any of which would have done. */
    readonly expected: number | readonly number[],
    /** The version the session is at, when the core has read it. */
    readonly actual: number | undefined,
  ) {
    const named = typeof expected === 'number' ? `${expected}` : expected.join(' or ');
    super(
      actual === undefined
        ? `the session is not at version ${named}`
        : `expected version ${named}, the session is at version ${actual}`,
    );
  }
}

/** The store cannot be reached or did not answer in time; retrying later may succeed. */
export class StoreUnavailableError extends SessionError {
  readonly code = 'store_unavailable';
  override readonly name = 'StoreUnavailableError';
  constructor(
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterSeconds = options?.retryAfterSeconds ?? 1;
  }
  /** A hint for clients: how long to wait before trying again. */
  readonly retryAfterSeconds: number;
}

/** The session's data, or the item a store would write, is larger than allowed. */
export class PayloadTooLargeError extends SessionError {
  readonly code = 'payload_too_large';
  override readonly name = 'PayloadTooLargeError';
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`${size} bytes is over the limit of ${limit} bytes`);
  }
}

/** A caller-chosen token is already in use by another session (live or not yet reclaimed). */
export class TokenTakenError extends SessionError {
  readonly code = 'token_taken';
  override readonly name = 'TokenTakenError';
  constructor() {
    super('this token is already in use');
  }
}

/** The user holds as many live sessions as the cap allows, and the policy is `reject`. */
export class SessionLimitError extends SessionError {
  readonly code = 'session_limit';
  override readonly name = 'SessionLimitError';
  constructor(readonly max: number) {
    super(`the user already holds the most live sessions allowed (${max})`);
  }
}

/**
 * A rotation named a user other than the session's own: a session never changes hands (a login
 * binds an anonymous session; rotating user A's session to user B would hand A's data to B).
 */
export class UserMismatchError extends SessionError {
  readonly code = 'user_mismatch';
  override readonly name = 'UserMismatchError';
  constructor() {
    super('the session belongs to another user; only an anonymous session can be bound to a user');
  }
}

/**
 * The session is live but its user authenticated longer ago than the caller allows (or it never
 * said when): a sensitive action asks for a fresh login (NIST SP 800-63B reauthentication).
 */
export class ReauthenticationRequiredError extends SessionError {
  readonly code = 'reauthentication_required';
  override readonly name = 'ReauthenticationRequiredError';
  constructor(readonly maxAuthAgeSeconds: number) {
    super(`the user must have authenticated within the last ${maxAuthAgeSeconds} seconds`);
  }
}

/** The store was not built to record lifecycle events, so there is no event log to read or sweep. */
export class EventsDisabledError extends SessionError {
  readonly code = 'events_disabled';
  override readonly name = 'EventsDisabledError';
  constructor() {
    super('this service records no lifecycle events (its store was built without them)');
  }
}
