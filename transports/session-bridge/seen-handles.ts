import { ownHandleOf } from '../../core/index.js';

/** How many sessions a bridge remembers the place of; the oldest is forgotten first. */
const CAPACITY = 10_000;

/**
 * Where this process last saw each sid's session, keyed by the sid's own handle (so by its hash:
 * no sid is kept). A caller token's handle is `<home>.<digest>` and its own handle
 * `<digest's first 4>.<digest>` (core's `ownHandleOf`), so one is found from the other without
 * hashing. Only a hint: a handle whose session moved or ended is simply not found there, and the
 * caller looks the sid up instead.
 */
export class SeenHandles {
  readonly #byOwn = new Map<string, string>();

  /** Notes where a session is (its handle). */
  note(handle: string): void {
    const own = ownHandleOf(handle);
    this.#byOwn.delete(own);
    this.#byOwn.set(own, handle);
    if (this.#byOwn.size > CAPACITY) this.#byOwn.delete(this.#byOwn.keys().next().value as string);
  }

  /** Where the session of the sid with this own handle was seen, remembered still. */
  peek(own: string): string | undefined {
    return this.#byOwn.get(own);
  }

  /** Forgets, and answers, where the session of the sid with this own handle (or of this handle) was seen. */
  take(handle: string | undefined): string | undefined {
    if (handle === undefined) return undefined;
    const own = ownHandleOf(handle);
    const seen = this.#byOwn.get(own);
    this.#byOwn.delete(own);
    return seen;
  }
}
