import { createRequire } from 'node:module';

// sorted-btree is CommonJS with an ES-style `default` export, which ESM loaders unwrap
// differently (Node gives the module object, Vite the class); require() is the same everywhere.
const BTree = (createRequire(import.meta.url)('sorted-btree') as typeof import('sorted-btree')).default;
type Tree = InstanceType<typeof BTree<string, undefined>>;

/**
 * The handles of each user's sessions, in handle order, so a user's listing pages without
 * sorting. A user with one session (most users, and every anonymous home) holds just the handle:
 * a tree costs some 300 bytes, more than the rest of the index entry, and is made at the second.
 */
export class UserHandles {
  readonly #byUser = new Map<string, string | Tree>();

  add(userId: string, handle: string): void {
    const held = this.#byUser.get(userId);
    if (held === undefined) {
      this.#byUser.set(userId, handle);
      return;
    }
    if (typeof held !== 'string') {
      held.set(handle, undefined);
      return;
    }
    const tree = new BTree<string, undefined>();
    tree.set(held, undefined);
    tree.set(handle, undefined);
    this.#byUser.set(userId, tree);
  }

  remove(userId: string, handle: string): void {
    const held = this.#byUser.get(userId);
    if (held === undefined) return;
    if (typeof held === 'string') {
      if (held === handle) this.#byUser.delete(userId);
      return;
    }
    held.delete(handle);
    if (held.size === 0) this.#byUser.delete(userId);
  }

  /** The user's handles above `after` (all of them when `undefined`), in order. */
  *after(userId: string, after: string | undefined): Generator<string> {
    const held = this.#byUser.get(userId);
    if (held === undefined) return;
    if (typeof held === 'string') {
      if (after === undefined || held > after) yield held;
      return;
    }
    const start = after === undefined ? held.minKey() : held.nextHigherKey(after);
    if (start !== undefined) yield* held.keys(start);
  }

  /** A copy of the user's handles, safe to hold while sessions are removed. */
  all(userId: string): string[] {
    const held = this.#byUser.get(userId);
    if (held === undefined) return [];
    return typeof held === 'string' ? [held] : held.keysArray();
  }
}
