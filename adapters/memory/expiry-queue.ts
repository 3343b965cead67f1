/**
 * A binary min-heap by deadline: what the store reclaims first. Entries are never taken out
 * early: a rewritten or deleted session leaves its old entry behind, which the owner recognises
 * as stale when it surfaces. That keeps every write at a push (O(1) on average, since new
 * deadlines are mostly the latest), and `rebuild` bounds the stale entries.
 */
export class ExpiryQueue<T extends { readonly expiresAt: number }> {
  #heap: T[] = [];

  /** How many entries are held, stale ones included. */
  get length(): number {
    return this.#heap.length;
  }

  /** The entry with the earliest deadline. */
  peek(): T | undefined {
    return this.#heap[0];
  }

  push(item: T): void {
    const heap = this.#heap;
    let index = heap.push(item) - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = heap[parent] as T;
      if (above.expiresAt <= item.expiresAt) break;
      heap[index] = above;
      index = parent;
    }
    heap[index] = item;
  }

  /** Removes the entry with the earliest deadline. */
  pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    this.#siftDown(0, last);
  }

  /** Replaces every entry with `items` (the live ones), in O(n). */
  rebuild(items: Iterable<T>): void {
    this.#heap = [...items];
    for (let index = (this.#heap.length >> 1) - 1; index >= 0; index--) this.#siftDown(index, this.#heap[index] as T);
  }

  #siftDown(start: number, item: T): void {
    const heap = this.#heap;
    const size = heap.length;
    let index = start;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && (heap[right] as T).expiresAt < (heap[child] as T).expiresAt) child = right;
      const below = heap[child] as T;
      if (below.expiresAt >= item.expiresAt) break;
      heap[index] = below;
      index = child;
    }
    heap[index] = item;
  }
}
