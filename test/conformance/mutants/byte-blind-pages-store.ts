import type { Page, PageRequest } from '../../../core/index.js';
import { DelegatingStore } from './delegating-store.js';

/**
 * Mutant: pages are bounded by count only; `maxBytes` is ignored, as the Redis store's were
 * when four listings of large sessions made every other request time out.
 */
export class ByteBlindPagesStore extends DelegatingStore {
  override list(page: PageRequest, now: number): Promise<Page> {
    return this.inner.list({ ...page, maxBytes: Number.MAX_SAFE_INTEGER }, now);
  }
  override listByUser(userId: string, page: PageRequest, now: number): Promise<Page> {
    return this.inner.listByUser(userId, { ...page, maxBytes: Number.MAX_SAFE_INTEGER }, now);
  }
}
