import type { DeleteOptions, DeleteOutcome } from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: `delete` takes its alias hint on trust and removes whatever session the hinted name
 * holds as an alias, without checking that the alias is the deleted session's own. A wrong hint
 * (another session's alias) leaves that other session unreachable by its token.
 */
export class HintTrustingDeleteStore extends PlainSessionStore {
  override async delete(id: string, now: number, expectedVersion?: number, options: DeleteOptions = {}): Promise<DeleteOutcome> {
    const outcome = await super.delete(id, now, expectedVersion);
    const { alias } = options;
    if (outcome === 'deleted' && alias !== undefined) {
      const target = this.aliases.get(alias);
      this.aliases.delete(alias);
      if (target !== undefined) this.aliasOf.delete(target);
    }
    return outcome;
  }
}
