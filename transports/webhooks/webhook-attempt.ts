import type { WebhookReceiver } from './webhook-receiver.js';
// A receiver's Retry-After is read by the rule the client reads the service's with: delay-seconds or an HTTP-date, nothing else.
import { retryAfterMs } from '../../client/retry-after.js';

/**
 * How one POST went: delivered (a 2xx), or why not, in words fit for a log line (a status, `timeout`,
 * a socket error's code; never an error message, which could quote the URL), with the wait the
 * receiver asked for in `Retry-After`.
 */
export type WebhookAttempt =
  | { readonly delivered: true; readonly status: number }
  | { readonly delivered: false; readonly reason: string; readonly retryAfterMs?: number | undefined };

/** What a request needs besides the receiver. */
export interface WebhookRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The longest the receiver may take to answer. */
  readonly timeoutMs: number;
  /** Aborts the request (a stop); the attempt then answers `aborted`. */
  readonly signal: AbortSignal;
  /** For an HTTP-date in `Retry-After`. */
  readonly now: number;
}

/**
 * POSTs one webhook. Redirects are not followed (Standard Webhooks counts a 3xx as a failure: the
 * URL should be updated instead), and the response body is not read, so that a receiver cannot
 * hold a delivery loop by trickling one.
 */
export async function attemptWebhook(receiver: WebhookReceiver, request: WebhookRequest): Promise<WebhookAttempt> {
  // One controller per request, unlinked from the stop signal afterwards: `AbortSignal.any` with a
  // long-lived signal keeps every request's signal alive (nodejs/node#55351).
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  const stop = () => controller.abort();
  request.signal.addEventListener('abort', stop, { once: true });
  if (request.signal.aborted) controller.abort();
  try {
    const response = await fetch(receiver.target, {
      method: 'POST',
      headers: {
        ...request.headers,
        'content-type': 'application/json',
        'user-agent': 'session-api-webhooks',
        ...(receiver.authorization === undefined ? {} : { authorization: receiver.authorization }),
      },
      body: request.body,
      redirect: 'manual',
      signal: controller.signal,
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { delivered: true, status: response.status };
    return { delivered: false, reason: `status ${response.status}`, retryAfterMs: retryAfterMs(response.headers.get('retry-after'), request.now) };
  } catch (error) {
    if (request.signal.aborted) return { delivered: false, reason: 'aborted' };
    if (timedOut) return { delivered: false, reason: `timeout after ${request.timeoutMs} ms` };
    return { delivered: false, reason: failureCode(error) };
  } finally {
    clearTimeout(timer);
    request.signal.removeEventListener('abort', stop);
  }
}

/** The code of the socket error under fetch's `TypeError('fetch failed')` (`ECONNREFUSED`, `UND_ERR_SOCKET`). */
function failureCode(error: unknown): string {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return error instanceof Error ? error.name : 'failed';
}
