import type { CreateOptions, CreateOutcome, Session } from '../../../core/index.js';
import { DelegatingStore } from './delegating-store.js';

/**
 * Mutant: `create` keeps a context's authMethods sorted, as a store that held them in a
 * DynamoDB string set (or a Redis set) would: the same methods, not the order they were used in.
 */
export class SortedMethodsStore extends DelegatingStore {
  override create(session: Session, now: number, options?: CreateOptions): Promise<CreateOutcome> {
    const methods = session.context?.authMethods;
    if (methods === undefined) return this.inner.create(session, now, options);
    return this.inner.create({ ...session, context: { ...session.context, authMethods: [...methods].sort() } }, now, options);
  }
}
