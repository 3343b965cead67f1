import type { Page, PageRequest } from '../../../core/index.js';
import { DelegatingStore } from './delegating-store.js';

/** Mutant: a full page that has a successor loses its last session (the cursor skips it). */
export class PageDroppingStore extends DelegatingStore {
  override async list(page: PageRequest, now: number): Promise<Page> {
    const full = await this.inner.list(page, now);
    if (full.nextCursor === null || full.sessions.length < 2) return full;
    return { sessions: full.sessions.slice(0, -1), nextCursor: full.nextCursor };
  }
}
