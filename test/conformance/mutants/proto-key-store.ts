import type { JsonObject, Session } from '../../../core/index.js';
import { DelegatingStore } from './delegating-store.js';

/**
 * Mutant: `get` rebuilds data by assignment, as a hand-written unmarshaller might; a
 * `__proto__` key then sets the prototype instead of a property, and the key is gone.
 */
export class ProtoKeyStore extends DelegatingStore {
  override async get(id: string, now: number): Promise<Session | undefined> {
    const session = await this.inner.get(id, now);
    if (!session) return session;
    const data: JsonObject = {};
    for (const [key, value] of Object.entries(session.data)) data[key] = value;
    return { ...session, data };
  }
}
