import { SessionError, StoreUnavailableError, type SessionErrorCode } from '../../core/index.js';

/** An RFC 9457 problem details body. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
}

/** A failure the transport itself detects (bad body, wrong media type, ...), thrown as an error. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    detail: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
  }
}

/** The media type of every error this service sends. */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

const coreErrors: Record<SessionErrorCode, { status: number; slug: string; title: string }> = {
  not_found: { status: 404, slug: 'not-found', title: 'Session not found' },
  invalid_input: { status: 400, slug: 'invalid-input', title: 'Invalid input' },
  version_conflict: { status: 412, slug: 'version-mismatch', title: 'Version does not match' },
  store_unavailable: { status: 503, slug: 'store-unavailable', title: 'Session store unavailable' },
  payload_too_large: { status: 413, slug: 'payload-too-large', title: 'Payload too large' },
};

/** A problem's `type`: a URN, so nobody mistakes it for a page to fetch. */
export function problemType(slug: string): string {
  return `urn:session-api:problem:${slug}`;
}

/** The problem and headers to answer for an error; anything unexpected becomes a bare 500. */
export function problemFor(error: unknown): { problem: Problem; headers: Record<string, string>; expected: boolean } {
  if (error instanceof HttpProblem) {
    return {
      problem: { type: problemType(error.slug), title: error.title, status: error.status, detail: error.message },
      headers: { ...error.headers },
      expected: true,
    };
  }
  if (error instanceof SessionError) {
    const { status, slug, title } = coreErrors[error.code];
    const headers: Record<string, string> =
      error instanceof StoreUnavailableError ? { 'Retry-After': String(error.retryAfterSeconds) } : {};
    // The store's own message may name hosts or keys; clients only learn that it is down.
    const detail = error instanceof StoreUnavailableError ? 'The session store did not answer; try again shortly.' : error.message;
    return { problem: { type: problemType(slug), title, status, detail }, headers, expected: true };
  }
  return {
    problem: { type: problemType('internal'), title: 'Internal error', status: 500, detail: 'The request could not be completed.' },
    headers: {},
    expected: false,
  };
}
