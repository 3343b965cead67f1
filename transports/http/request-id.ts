import { randomUUID } from 'node:crypto';

const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The id a request is logged under: the caller's `X-Request-Id` when it is safe to echo into
 * logs and headers, a fresh UUID otherwise (and when there is none).
 */
export function requestIdFrom(header: string | undefined): string {
  // Node's randomUUID draws from a batch of entropy; Web Crypto's checks its receiver first.
  return header !== undefined && ACCEPTABLE.test(header) ? header : randomUUID();
}
