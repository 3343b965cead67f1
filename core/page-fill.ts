import { PAGE_MAX_BYTES_DEFAULT } from './session-rules.js';
import type { PageRequest } from './session-store.js';

/** What {@link fillPage} took, and whether anything was left behind. */
export interface FilledPage<T> {
  readonly taken: T[];
  /** True when a candidate did not fit, so a next page follows. */
  readonly more: boolean;
}

/**
 * The page rule every store applies to its candidates (live sessions in listing order): take
 * them in order while the page holds fewer than `limit` and their data stays within `maxBytes`
 * (4 MiB by default). The first session is taken whatever its size, so paging always moves on.
 * Reads candidates lazily and stops at the first one that does not fit.
 */
export function fillPage<T>(candidates: Iterable<T>, page: PageRequest, dataBytes: (candidate: T) => number): FilledPage<T> {
  const maxBytes = page.maxBytes ?? PAGE_MAX_BYTES_DEFAULT;
  const taken: T[] = [];
  let bytes = 0;
  for (const candidate of candidates) {
    if (taken.length === page.limit) return { taken, more: true };
    const size = dataBytes(candidate);
    if (taken.length > 0 && bytes + size > maxBytes) return { taken, more: true };
    taken.push(candidate);
    bytes += size;
  }
  return { taken, more: false };
}
