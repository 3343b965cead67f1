import type {
  CreateOptions,
  CreateOutcome,
  DeleteOptions,
  DeleteOutcome,
  Page,
  PageRequest,
  RotateOptions,
  RotateOutcome,
  Session,
  SessionChange,
  SessionEventLog,
  SessionStore,
} from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/**
 * A correct store that hands every call to another (the plain store unless given). Each mutant
 * built on it overrides one method with one deliberate bug, so a rejection is that bug's doing
 * and nothing else's.
 */
export class DelegatingStore implements SessionStore {
  constructor(protected readonly inner: SessionStore = new PlainSessionStore()) {}

  create(session: Session, now: number, options?: CreateOptions): Promise<CreateOutcome> {
    return this.inner.create(session, now, options);
  }
  get(id: string, now: number): Promise<Session | undefined> {
    return this.inner.get(id, now);
  }
  resolve(handle: string, now: number): Promise<Session | undefined> {
    return this.inner.resolve(handle, now);
  }
  update(id: string, change: SessionChange, now: number): Promise<Session | 'conflict' | 'missing'> {
    return this.inner.update(id, change, now);
  }
  rotate(oldId: string, next: Session, now: number, options: RotateOptions): Promise<RotateOutcome> {
    return this.inner.rotate(oldId, next, now, options);
  }
  delete(id: string, now: number, expectedVersion?: number, options?: DeleteOptions): Promise<DeleteOutcome> {
    return this.inner.delete(id, now, expectedVersion, options);
  }
  list(page: PageRequest, now: number): Promise<Page> {
    return this.inner.list(page, now);
  }
  listByUser(userId: string, page: PageRequest, now: number): Promise<Page> {
    return this.inner.listByUser(userId, page, now);
  }
  deleteByUser(userId: string, now: number, except?: string): Promise<number> {
    return this.inner.deleteByUser(userId, now, except);
  }
  countByUser(userId: string, now: number): Promise<number> {
    return this.inner.countByUser(userId, now);
  }
  ping(): Promise<void> {
    return this.inner.ping();
  }
  get events(): SessionEventLog | undefined {
    return this.inner.events;
  }
}
