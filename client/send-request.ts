import type { ClientRoute } from './client-routes.js';
import { retryAfterMs } from './retry-after.js';
import { SessionApiError, SessionClientFailure } from './session-api-error.js';
import type { ProblemSlug } from './wire-types.js';

/** How requests are sent: the settings of one client, checked once. */
export interface RequestSettings {
  /** The service's origin and base path, with no trailing slash. */
  readonly baseUrl: string;
  /** `Bearer …`, or undefined when the service has no API tokens. */
  readonly authorization: string | undefined;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly maxRetryWaitMs: number;
  readonly fetch: typeof globalThis.fetch;
}

/** One call's input, as the route takes it. */
export interface RequestInput {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | undefined;
}

/** An answer the route declares. */
export interface RouteAnswer {
  readonly status: number;
  /** The parsed JSON, or the text of a text route; undefined for a 304. */
  readonly body: unknown;
}

const PROBLEM_PREFIX = 'urn:session-api:problem:';
// RFC 9110 §9.2.2: sending these twice has the effect of sending them once, so a lost answer or
// a 503 can be retried. POST and PATCH are not: a rotation or a create sent twice is two writes.
const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE']);
const FIRST_BACKOFF_MS = 100;

/**
 * Sends one call of `route`: retries an idempotent one on 503 (waiting what `Retry-After` asks,
 * up to `maxRetryWaitMs`) and on a failed connection, all within one deadline of `timeoutMs`.
 */
export async function sendRequest(settings: RequestSettings, route: ClientRoute, input: RequestInput = {}): Promise<RouteAnswer> {
  const timeoutMs = input.timeoutMs ?? settings.timeoutMs;
  const deadline = Date.now() + timeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = input.signal ? AbortSignal.any([input.signal, timeout]) : timeout;
  const request = requestOf(settings, route, input);
  const retries = IDEMPOTENT.has(route.method) && route.once !== true ? settings.retries : 0;
  // Why the call stopped when a signal fired: the deadline, or the caller's own reason.
  const stopped = (attempt: number, error?: unknown): unknown => (timeout.aborted ? timedOut(route, timeoutMs, attempt) : (input.signal?.reason ?? error));
  const wait = async (ms: number, attempt: number) => {
    await pause(ms, signal).catch(() => undefined);
    if (signal.aborted) throw stopped(attempt);
  };
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    let text: string;
    try {
      response = await settings.fetch(request.url, { ...request.init, signal });
      // The body is read here, inside the attempt: a connection cut mid-body is a failed attempt too.
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw stopped(attempt, error);
      const backoff = backoffMs(attempt, settings.maxRetryWaitMs);
      if (attempt > retries || Date.now() + backoff >= deadline) {
        throw new SessionClientFailure(route.operationId, 'network', attempt, `the connection failed (${causeOf(error)})`, { cause: error });
      }
      await wait(backoff, attempt);
      continue;
    }
    if (route.statuses.includes(response.status)) return answerOf(route, response, text);
    const error = problemOf(route, response, text);
    if (response.status !== 503 || attempt > retries) throw error;
    // A wait longer than the cap, or past the deadline, is not shortened: the service asked for it.
    const asked = error.retryAfterMs ?? backoffMs(attempt, settings.maxRetryWaitMs);
    if (asked > settings.maxRetryWaitMs || Date.now() + asked >= deadline) throw error;
    await wait(asked, attempt);
  }
}

function requestOf(settings: RequestSettings, route: ClientRoute, input: RequestInput): { url: string; init: RequestInit } {
  const path = route.path.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const value = input.params?.[name];
    if (value === undefined || value === '') throw new RangeError(`${route.operationId}: ${name} must be a non-empty string`);
    return encodeURIComponent(value);
  });
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(input.query ?? {})) if (value !== undefined) query.set(name, String(value));
  const headers: Record<string, string> = { accept: route.answers === 'json' ? 'application/json, application/problem+json' : 'text/plain, application/problem+json' };
  if (settings.authorization !== undefined) headers['authorization'] = settings.authorization;
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (value === undefined) continue;
    // fetch's own error for a bad header value quotes the value, which may be a session token.
    if (!/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value)) throw new TypeError(`${route.operationId}: the ${name} header must be printable ASCII`);
    headers[name] = value;
  }
  const init: RequestInit = { method: route.method, headers, redirect: 'error' };
  if (input.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(input.body);
  }
  const search = query.size > 0 ? `?${query}` : '';
  return { url: `${settings.baseUrl}${path}${search}`, init };
}

function answerOf(route: ClientRoute, response: Response, text: string): RouteAnswer {
  if (response.status === 304) return { status: 304, body: undefined };
  if (route.answers === 'text') return { status: response.status, body: text };
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    throw unexpected(route, response, 'the answer is not JSON');
  }
}

/** The error an answer that is not the route's stands for: its problem, or what it is instead. */
function problemOf(route: ClientRoute, response: Response, text: string): SessionApiError {
  const wait = retryAfterMs(response.headers.get('retry-after'), Date.now());
  if (response.headers.get('content-type')?.split(';')[0]?.trim() === 'application/problem+json') {
    const body = parsed(text);
    if (isProblemBody(body) && body.type.startsWith(PROBLEM_PREFIX)) {
      const slug = body.type.slice(PROBLEM_PREFIX.length) as ProblemSlug;
      return new SessionApiError(route.operationId, { slug, type: body.type, title: body.title, status: response.status, detail: body.detail }, wait);
    }
  }
  return unexpected(route, response, `the answer is not a problem of session-api (${response.headers.get('content-type') ?? 'no Content-Type'})`, wait);
}

function unexpected(route: ClientRoute, response: Response, detail: string, wait?: number): SessionApiError {
  const title = response.statusText || 'Unexpected answer';
  return new SessionApiError(route.operationId, { slug: 'unexpected-response', type: '', title, status: response.status, detail }, wait);
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isProblemBody(body: unknown): body is { type: string; title: string; detail: string } {
  if (typeof body !== 'object' || body === null) return false;
  const { type, title, detail } = body as Record<string, unknown>;
  return typeof type === 'string' && typeof title === 'string' && typeof detail === 'string';
}

function timedOut(route: ClientRoute, timeoutMs: number, attempts: number): SessionClientFailure {
  return new SessionClientFailure(route.operationId, 'timeout', attempts, `no answer within ${timeoutMs} ms`);
}

/** Exponential, with jitter so that clients a restart cut off do not come back in step. */
function backoffMs(attempt: number, cap: number): number {
  return Math.min(cap, FIRST_BACKOFF_MS * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
}

/** undici's `fetch failed` hides the reason in `cause` (ECONNREFUSED, ECONNRESET). */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  // Only a code or a name: a message may quote the URL, and a path holds a handle or a user id.
  return typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.name : 'unknown';
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', abort, { once: true });
  });
}
