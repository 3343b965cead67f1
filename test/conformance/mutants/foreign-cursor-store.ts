import { encodePageCursor, type Page, type PageRequest } from '../../../core/index.js';
import { DelegatingStore } from './delegating-store.js';

/**
 * Mutant: takes a cursor of any listing as one of this listing, as a store whose cursor is only
 * the last id would (the memory and Redis stores before cursors named their listing). A user's
 * cursor replayed on another user's listing then silently skips sessions.
 */
export class ForeignCursorStore extends DelegatingStore {
  override list(page: PageRequest, now: number): Promise<Page> {
    return this.inner.list(rebound(page, undefined), now);
  }
  override listByUser(userId: string, page: PageRequest, now: number): Promise<Page> {
    return this.inner.listByUser(userId, rebound(page, userId), now);
  }
}

/** The page with its cursor's position moved to the listing of `userId`, whoever issued it. */
function rebound(page: PageRequest, userId: string | undefined): PageRequest {
  if (page.cursor === undefined) return page;
  try {
    const [position] = JSON.parse(Buffer.from(page.cursor, 'base64url').toString('utf8')) as unknown[];
    return typeof position === 'string' ? { ...page, cursor: encodePageCursor(userId, position) } : page;
  } catch {
    return page;
  }
}
