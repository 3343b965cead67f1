/**
 * A binary min-heap by deadline: what the store reclaims first. Entries are never taken out
 * early: a rewritten or deleted session leaves its old entry behind, which the owner recognises
 * as stale when it surfaces. That keeps every write at a push (O(1) on average, since new
 * deadlines are mostly the latest), and `rebuild` bounds the stale entries.
 */
export class ExpiryQueue<T extends { readonly expiresAt: number }> {
  #heap: T[] = [];
  // The entries' deadlines, in the same order: a push compares with its parent, which for pushes
  // in a row sit side by side here, where the entries themselves lie anywhere in the heap (with a
  // million held, reading the parent's deadline from the entry was a cache miss per write).
  #deadlines: number[] = [];

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
    const deadlines = this.#deadlines;
    const deadline = item.expiresAt;
    let index = heap.push(item) - 1;
    deadlines.push(deadline);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = deadlines[parent] as number;
      if (above <= deadline) break;
      heap[index] = heap[parent] as T;
      deadlines[index] = above;
      index = parent;
    }
    heap[index] = item;
    deadlines[index] = deadline;
  }

  /** Removes the entry with the earliest deadline. */
  pop(): void {
    const last = this.#heap.pop();
    const deadline = this.#deadlines.pop();
    if (last === undefined || deadline === undefined || this.#heap.length === 0) return;
    this.#siftDown(0, last, deadline);
  }

  /** Replaces every entry with `items` (the live ones), in O(n). */
  rebuild(items: Iterable<T>): void {
    this.#heap = [...items];
    this.#deadlines = this.#heap.map((item) => item.expiresAt);
    for (let index = (this.#heap.length >> 1) - 1; index >= 0; index--) this.#siftDown(index, this.#heap[index] as T, this.#deadlines[index] as number);
  }

  #siftDown(start: number, item: T, deadline: number): void {
    const heap = this.#heap;
    const deadlines = this.#deadlines;
    const size = heap.length;
    let index = start;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && (deadlines[right] as number) < (deadlines[child] as number)) child = right;
      const below = deadlines[child] as number;
      if (below >= deadline) break;
      heap[index] = heap[child] as T;
      deadlines[index] = below;
      index = child;
    }
    heap[index] = item;
    deadlines[index] = deadline;
  }
}
