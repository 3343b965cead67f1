import { applyChange, isThrottled, type Session, type SessionChange } from '../../../core/index.js';
import { copy, PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: `update` throttles a refresh from another time than `lastActiveAt` (`updatedAt`, so a
 * replace restarts the interval; or `createdAt`, so the interval never restarts), otherwise
 * exactly as the core's rule says.
 */
export class TouchFromStore extends PlainSessionStore {
  constructor(private readonly from: 'updatedAt' | 'createdAt') {
    super();
  }

  override async update(id: string, change: SessionChange, now: number): Promise<Session | 'conflict' | 'missing'> {
    const current = this.live(id, now);
    if (!current) return 'missing';
    if (change.expectedVersion !== undefined && current.version !== change.expectedVersion) return 'conflict';
    if (isThrottled({ lastActiveAt: current[this.from], ttl: current.ttl }, change, now)) return copy(current);
    const next = applyChange(current, { ...change, touchInterval: undefined }, now);
    this.put(next);
    return copy(next);
  }
}
