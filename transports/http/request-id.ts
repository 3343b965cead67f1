const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The id a request is logged under: the caller's `X-Request-Id` when it is safe to echo into
 * logs and headers, a fresh UUID otherwise.
 */
export function requestIdFrom(header: string): string {
  return ACCEPTABLE.test(header) ? header : globalThis.crypto.randomUUID();
}
