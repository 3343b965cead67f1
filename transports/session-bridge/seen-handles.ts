import { ownHandleOf } from '../../core/index.js';

/** How many sessions a bridge remembers the place of unless told (`placeHints`). */
export const PLACE_HINTS_DEFAULT = 10_000;

/**
 * Where this process last saw each sid's session, keyed by the sid's own handle (so by its hash:
 * no sid is kept). A caller token's handle is `<home>.<digest>` and its own handle
 * `<digest's first 4>.<digest>` (core's `ownHandleOf`), so one is found from the other without
 * hashing. Only a hint: a handle whose session moved or ended is simply not found there, and the
 * caller looks the sid up instead.
 *
 * Two generations of half the capacity each: when the newer fills, the older is forgotten whole.
 * Forgetting the oldest entry one at a time (`keys().next()` after a delete) walked the Map's
 * deleted slots first, and cost a get about 15 µs once 10,000 sessions had churned through.
 */
export class SeenHandles {
  #newer = new Map<string, string>();
  #older = new Map<string, string>();
  /** A generation's size: `capacity` places at most are remembered, at least half as many, the latest. */
  readonly #half: number;

  /** `capacity` 0 remembers nothing. */
  constructor(capacity: number) {
    this.#half = Math.ceil(capacity / 2);
  }

  /** Notes where a session is (its handle). */
  note(handle: string): void {
    if (this.#half === 0) return;
    const own = ownHandleOf(handle);
    this.#newer.set(own, handle);
    if (this.#newer.size >= this.#half) {
      this.#older = this.#newer;
      this.#newer = new Map();
    }
  }

  /** Where the session of the sid with this own handle was seen, remembered still. */
  peek(own: string): string | undefined {
    return this.#newer.get(own) ?? this.#older.get(own);
  }

  /** Forgets, and answers, where the session of the sid with this own handle (or of this handle) was seen. */
  take(handle: string | undefined): string | undefined {
    if (handle === undefined) return undefined;
    const own = ownHandleOf(handle);
    const seen = this.peek(own);
    this.#newer.delete(own);
    this.#older.delete(own);
    return seen;
  }
}
