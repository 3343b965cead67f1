import type { ProblemSlug } from './wire-types.js';

// Messages name the operation (`getSession`), never the URL: a path holds a session's handle or
// a user id, and nothing of a request's headers (the API token, a session token) is ever kept.

/** Why a call failed without an answer of the service's own. */
export type FailureKind = 'timeout' | 'network';

/** What every error of this client has: the operation that failed. */
export abstract class SessionClientError extends Error {
  /** The operation, as the OpenAPI document names it (`createSession`). */
  readonly operationId: string;
  constructor(operationId: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.operationId = operationId;
  }
}

/**
 * The service answered with a problem (RFC 9457), or with an answer that is not one the route
 * declares (a proxy's 502 page). `slug` tells the problems apart: `error.slug === 'not-found'`.
 */
export class SessionApiError extends SessionClientError {
  override readonly name = 'SessionApiError';
  /** The problem's slug, from the server's catalogue; `unexpected-response` for an answer that is no problem of ours. */
  readonly slug: ProblemSlug | 'unexpected-response';
  /** The problem's `type` URN (`urn:session-api:problem:not-found`); empty for an unexpected answer. */
  readonly type: string;
  readonly title: string;
  /** The HTTP status. */
  readonly status: number;
  readonly detail: string;
  /** The wait the service asked for (`Retry-After`) in milliseconds, when it did. */
  readonly retryAfterMs: number | undefined;

  constructor(
    operationId: string,
    problem: { slug: ProblemSlug | 'unexpected-response'; type: string; title: string; status: number; detail: string },
    retryAfterMs?: number,
  ) {
    super(operationId, `${operationId}: ${problem.status} ${problem.title}: ${problem.detail}`);
    this.slug = problem.slug;
    this.type = problem.type;
    this.title = problem.title;
    this.status = problem.status;
    this.detail = problem.detail;
    this.retryAfterMs = retryAfterMs;
  }
}

/** No answer: the call ran out of time (`timeout`) or the connection failed (`network`; `cause` says how). */
export class SessionClientFailure extends SessionClientError {
  override readonly name = 'SessionClientFailure';
  readonly kind: FailureKind;
  /** How many requests were sent before giving up. */
  readonly attempts: number;
  constructor(operationId: string, kind: FailureKind, attempts: number, detail: string, options?: ErrorOptions) {
    super(operationId, `${operationId}: ${detail}`, options);
    this.kind = kind;
    this.attempts = attempts;
  }
}

/** Whether `error` is a problem the service answered, of this slug when one is given. */
export function isSessionApiError(error: unknown, slug?: ProblemSlug | 'unexpected-response'): error is SessionApiError {
  return error instanceof SessionApiError && (slug === undefined || error.slug === slug);
}
