/** An entry's place in the log: fixed at creation, larger than every earlier one's. */
interface Positioned {
  readonly position: number;
}

/** A run of entries in position order; a removed entry leaves `undefined` until the run is compacted. */
interface Chunk<T> {
  positions: number[];
  entries: (T | undefined)[];
  live: number;
}

// Entries per chunk. A chunk is compacted once most of it is removed and merged with a neighbour
// once the two fit in one, so the log holds at most about two slots per entry and its chunk list
// stays a few thousand long at a million entries.
const CHUNK_SIZE = 1024;

/**
 * Entries in creation order, for listing everyone's sessions. An append lands at the end and
 * never compares keys, which a sorted tree of random handles does on every insert, missing the
 * cache at each step once it holds a million. An entry keeps its position for life, so a cursor
 * (the last position walked) resumes after it whatever was written or removed meanwhile.
 */
export class CreationLog<T extends Positioned> {
  readonly #chunks: Chunk<T>[] = [];
  /** The first position of each chunk, searched instead of the chunks to find one. */
  readonly #starts: number[] = [];

  /** Slots held, removed ones not yet compacted away included: what the log costs. */
  get slots(): number {
    let slots = 0;
    for (const chunk of this.#chunks) slots += chunk.positions.length;
    return slots;
  }

  /** Adds `entry` at the end; its position must be above every position appended before. */
  append(entry: T): void {
    let tail = this.#chunks.at(-1);
    if (tail !== undefined && entry.position <= (tail.positions.at(-1) ?? -Infinity)) {
      throw new RangeError(`position ${entry.position} is not past the end of the log`);
    }
    if (tail === undefined || tail.positions.length === CHUNK_SIZE) {
      tail = { positions: [], entries: [], live: 0 };
      this.#chunks.push(tail);
      this.#starts.push(entry.position);
    }
    tail.positions.push(entry.position);
    tail.entries.push(entry);
    tail.live++;
  }

  /** Puts `entry` in the place of the entry held at its position (a rewrite keeps its place). */
  replace(entry: T): void {
    const found = this.#find(entry.position);
    if (found === undefined) throw new RangeError(`no entry at position ${entry.position}`);
    (this.#chunks[found.at] as Chunk<T>).entries[found.index] = entry;
  }

  /** Removes the entry at `position`, if one is held there. */
  remove(position: number): void {
    const found = this.#find(position);
    if (found === undefined) return;
    const { at, index } = found;
    const chunk = this.#chunks[at] as Chunk<T>;
    chunk.entries[index] = undefined;
    chunk.live--;
    if (chunk.live === 0) {
      this.#chunks.splice(at, 1);
      this.#starts.splice(at, 1);
      if (at > 0) this.#mergeAround(at - 1);
      return;
    }
    if (2 * chunk.live < chunk.positions.length) this.#compact(at);
    this.#mergeAround(at);
  }

  /** The entries after `position`, in order; the log must not change while they are read. */
  *after(position: number): Generator<T> {
    const chunks = this.#chunks;
    let at = Math.max(0, this.#chunkIndex(position));
    const first = chunks[at];
    if (first === undefined) return;
    let index = firstAbove(first.positions, position);
    for (; at < chunks.length; at++, index = 0) {
      const { entries } = chunks[at] as Chunk<T>;
      for (; index < entries.length; index++) {
        const entry = entries[index];
        if (entry !== undefined) yield entry;
      }
    }
  }

  /** Which chunk, and where in it, holds an entry at `position`, if one does. */
  #find(position: number): { at: number; index: number } | undefined {
    const at = this.#chunkIndex(position);
    const chunk = this.#chunks[at];
    if (chunk === undefined) return undefined;
    const index = firstAbove(chunk.positions, position) - 1;
    if (chunk.positions[index] !== position || chunk.entries[index] === undefined) return undefined;
    return { at, index };
  }

  /** The last chunk starting at or before `position`; -1 when every chunk starts after it. */
  #chunkIndex(position: number): number {
    return firstAbove(this.#starts, position) - 1;
  }

  /** Drops the removed slots of chunk `at`. */
  #compact(at: number): void {
    const chunk = this.#chunks[at] as Chunk<T>;
    const positions: number[] = [];
    const entries: T[] = [];
    for (let index = 0; index < chunk.entries.length; index++) {
      const entry = chunk.entries[index];
      if (entry === undefined) continue;
      positions.push(chunk.positions[index] as number);
      entries.push(entry);
    }
    chunk.positions = positions;
    chunk.entries = entries;
    this.#starts[at] = positions[0] as number;
  }

  /** Merges chunk `at` with its neighbours for as long as their entries fit in one chunk. */
  #mergeAround(at: number): void {
    let index = at;
    while (index > 0 && this.#fits(index - 1, index)) index = this.#merge(index - 1);
    while (index + 1 < this.#chunks.length && this.#fits(index, index + 1)) this.#merge(index);
  }

  #fits(left: number, right: number): boolean {
    return (this.#chunks[left] as Chunk<T>).live + (this.#chunks[right] as Chunk<T>).live <= CHUNK_SIZE;
  }

  /** Moves the entries of chunk `left + 1` into chunk `left`, compacting both; answers `left`. */
  #merge(left: number): number {
    const chunk = this.#chunks[left] as Chunk<T>;
    const next = this.#chunks[left + 1] as Chunk<T>;
    chunk.positions = chunk.positions.concat(next.positions);
    chunk.entries = chunk.entries.concat(next.entries);
    chunk.live += next.live;
    this.#chunks.splice(left + 1, 1);
    this.#starts.splice(left + 1, 1);
    this.#compact(left);
    return left;
  }
}

/** The index of the first of the ascending `values` above `value` (`values.length` when none is). */
function firstAbove(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] as number) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}
