import { SessionError, StoreUnavailableError, type SessionErrorCode } from '../../core/index.js';
import { PROBLEMS, problemType, type ProblemKind } from './problem-catalogue.js';

export { PROBLEM_MEDIA_TYPE, problemType } from './problem-catalogue.js';

/** An RFC 9457 problem details body. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
}

/** A failure the transport itself detects (bad body, wrong media type, ...), thrown as an error. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly title: string;
  constructor(
    readonly slug: ProblemKind,
    detail: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
    this.status = PROBLEMS[slug].status;
    this.title = PROBLEMS[slug].title;
  }
}

const coreErrors: Record<SessionErrorCode, ProblemKind> = {
  not_found: 'not-found',
  invalid_input: 'invalid-input',
  version_conflict: 'version-mismatch',
  store_unavailable: 'store-unavailable',
  payload_too_large: 'payload-too-large',
  token_taken: 'token-taken',
  session_limit: 'session-limit',
  user_mismatch: 'user-mismatch',
  reauthentication_required: 'reauthentication-required',
  events_disabled: 'events-disabled',
};

/** The problem a catalogue entry makes with this detail. */
export function problemOf(kind: ProblemKind, detail: string): Problem {
  const { status, title } = PROBLEMS[kind];
  return { type: problemType(kind), title, status, detail };
}

/** The problem and headers to answer for an error; anything unexpected becomes a bare 500. */
export function problemFor(error: unknown): { problem: Problem; headers: Record<string, string>; expected: boolean } {
  if (error instanceof HttpProblem) {
    return { problem: problemOf(error.slug, error.message), headers: { ...error.headers }, expected: true };
  }
  if (error instanceof SessionError) {
    const headers: Record<string, string> =
      error instanceof StoreUnavailableError ? { 'Retry-After': String(error.retryAfterSeconds) } : {};
    // The store's own message may name hosts or keys; clients only learn that it is down.
    const detail = error instanceof StoreUnavailableError ? 'The session store did not answer; try again shortly.' : error.message;
    return { problem: problemOf(coreErrors[error.code], detail), headers, expected: true };
  }
  return { problem: problemOf('internal', 'The request could not be completed.'), headers: {}, expected: false };
}
