/**
 * Every problem this service answers, once: its status, title, what the OpenAPI document says
 * about it and which response headers go with it. Handlers, the error middleware and the
 * document all read it; a status, slug or title is never written anywhere else.
 */
export const PROBLEMS = {
  'invalid-input': { status: 400, title: 'Invalid input', description: 'The input breaks a rule of the API.' },
  'malformed-body': { status: 400, title: 'Malformed body', description: 'The body is not valid UTF-8 JSON or could not be read.' },
  'malformed-path': { status: 400, title: 'Malformed path', description: 'The path has invalid percent-encoding or is not well-formed Unicode.' },
  'malformed-header': { status: 400, title: 'Malformed header', description: 'A conditional header (If-Match, If-None-Match) is not a list of entity tags.' },
  unauthorized: {
    status: 401,
    title: 'Unauthorized',
    description: 'A valid bearer token is required (when the service has API tokens).',
    headers: { 'WWW-Authenticate': 'The bearer challenge.' },
  },
  'reauthentication-required': {
    status: 403,
    title: 'Reauthentication required',
    description: 'The session is live, but its user authenticated longer ago than maxAuthAgeSeconds allows (or it does not say when): log in again.',
  },
  'not-found': { status: 404, title: 'Session not found', description: 'No live session with this id.' },
  'events-disabled': { status: 404, title: 'Events disabled', description: 'This service records no lifecycle events (EVENTS_ENABLED is off).' },
  'no-route': { status: 404, title: 'Not found', description: 'No route has this path.' },
  'method-not-allowed': {
    status: 405,
    title: 'Method not allowed',
    description: 'The path exists for other methods.',
    headers: { Allow: 'The methods the path answers.' },
  },
  'token-taken': { status: 409, title: 'Token taken', description: 'Another session already has the caller\u2019s token.' },
  'session-limit': { status: 409, title: 'Session limit reached', description: 'The user holds the most live sessions allowed, and the limit policy is reject.' },
  'user-mismatch': { status: 409, title: 'Session of another user', description: 'A rotation named another user than the session\u2019s own; only an anonymous session is bound to a user.' },
  'version-mismatch': { status: 412, title: 'Version does not match', description: 'A precondition (If-Match, If-None-Match) does not hold.' },
  'payload-too-large': { status: 413, title: 'Payload too large', description: 'The body or the data is too large.' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type', description: 'The body is not UTF-8 application/json.' },
  internal: { status: 500, title: 'Internal error', description: 'The request could not be completed.' },
  'store-unavailable': {
    status: 503,
    title: 'Session store unavailable',
    description: 'The store does not answer; try again after Retry-After.',
    headers: { 'Retry-After': 'Seconds to wait before trying again.' },
  },
  draining: {
    status: 503,
    title: 'Shutting down',
    description: 'This instance is shutting down; another one will answer.',
    headers: { 'Retry-After': 'Seconds to wait before trying again.' },
  },
  // What Node itself refuses before the app sees a request (see the HTTP server setup).
  'bad-request': { status: 400, title: 'Bad request', description: 'The request is not valid HTTP.' },
  'request-timeout': { status: 408, title: 'Request timeout', description: 'The request did not arrive in time.' },
  'expectation-failed': { status: 417, title: 'Expectation failed', description: 'Only Expect: 100-continue is supported.' },
  'headers-too-large': { status: 431, title: 'Request header fields too large', description: 'The request headers are too large.' },
} as const satisfies Record<string, ProblemEntry>;

/** One kind of problem. */
export interface ProblemEntry {
  readonly status: number;
  readonly title: string;
  /** What the OpenAPI document says about it. */
  readonly description: string;
  /** Response headers that come with it, and what each says. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The slug of a problem: the last part of its `type`. */
export type ProblemKind = keyof typeof PROBLEMS;

/** A problem's `type`: a URN, so nobody mistakes it for a page to fetch. */
export function problemType(kind: string): string {
  return `urn:session-api:problem:${kind}`;
}

/** The media type of every error this service sends. */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
