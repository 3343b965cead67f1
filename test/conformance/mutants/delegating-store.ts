import type { DeleteOutcome, Page, PageRequest, RefreshChange, Session, SessionStore, WriteOutcome } from '../../../core/index.js';
import { MemorySessionStore } from '../../../adapters/memory/index.js';

/**
 * A correct store that hands every call to a memory store. Each mutant built on it overrides
 * one method with one deliberate bug, so a rejection is that bug's doing and nothing else's.
 */
export class DelegatingStore implements SessionStore {
  constructor(protected readonly inner: SessionStore = new MemorySessionStore()) {}

  create(session: Session, now: number): Promise<'created' | 'exists'> {
    return this.inner.create(session, now);
  }
  get(id: string, now: number): Promise<Session | undefined> {
    return this.inner.get(id, now);
  }
  replace(session: Session, expectedVersion: number, now: number): Promise<WriteOutcome> {
    return this.inner.replace(session, expectedVersion, now);
  }
  refresh(id: string, change: RefreshChange, now: number): Promise<WriteOutcome> {
    return this.inner.refresh(id, change, now);
  }
  delete(id: string, now: number, expectedVersion?: number): Promise<DeleteOutcome> {
    return this.inner.delete(id, now, expectedVersion);
  }
  list(page: PageRequest, now: number): Promise<Page> {
    return this.inner.list(page, now);
  }
  listByUser(userId: string, page: PageRequest, now: number): Promise<Page> {
    return this.inner.listByUser(userId, page, now);
  }
  deleteByUser(userId: string, now: number): Promise<number> {
    return this.inner.deleteByUser(userId, now);
  }
  ping(): Promise<void> {
    return this.inner.ping();
  }
}
