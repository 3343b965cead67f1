import type { Page, PageRequest, Session } from '../../../core/index.js';
import { DelegatingStore } from './delegating-store.js';

/**
 * Mutant: every page after the first starts again with the last session of the page before,
 * as an inclusive cursor (`>=` where `>` belongs) would. The union still holds everyone.
 */
export class DuplicatingPagesStore extends DelegatingStore {
  readonly #lastBefore = new Map<string, Session>();

  override async list(page: PageRequest, now: number): Promise<Page> {
    const repeated = page.cursor === undefined ? undefined : this.#lastBefore.get(page.cursor);
    const rest = await this.inner.list(repeated && page.limit > 1 ? { ...page, limit: page.limit - 1 } : page, now);
    const sessions = repeated && page.limit > 1 ? [repeated, ...rest.sessions] : rest.sessions;
    const last = rest.sessions.at(-1);
    if (rest.nextCursor !== null && last) this.#lastBefore.set(rest.nextCursor, last);
    return { sessions, nextCursor: rest.nextCursor };
  }
}
