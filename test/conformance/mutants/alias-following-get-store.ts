import type { Session } from '../../../core/index.js';
import { DelegatingStore } from './delegating-store.js';

/** Mutant: `get` follows aliases, as `resolve` does: a handle path then answers to a token's own handle. */
export class AliasFollowingGetStore extends DelegatingStore {
  override get(id: string, now: number): Promise<Session | undefined> {
    return this.inner.resolve(id, now);
  }
}
