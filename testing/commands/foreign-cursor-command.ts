import type { Page, SessionStore } from '../../core/index.js';
import { StoreMismatchError } from '../mismatch.js';
import type { SessionModel } from '../session-model.js';
import { show } from '../same-session.js';
import { StoreCommand } from './store-command.js';

/**
 * Cursors no store issued, yet of the form the core lets through (the longest included): a
 * store must refuse them with `InvalidInputError('cursor')` (code `invalid_input`), never crash
 * or guess.
 */
export const FOREIGN_CURSORS: readonly string[] = ['bm90LWEtY3Vyc29y', 'AAAA', '_-_-', 'x', 'A'.repeat(2048)];

/** The listing a cursor is replayed on: everyone's (`undefined`) or one user's. */
type ListingOf = string | undefined;

const nameOf = (userId: ListingOf): string => (userId === undefined ? 'list' : `listByUser(${JSON.stringify(userId)}, ...)`);

/** Reads a page of `userId`'s listing (everyone's when undefined) with `cursor`; it must be refused. */
async function expectRefused(operation: string, store: SessionStore, model: SessionModel, userId: ListingOf, cursor: string): Promise<void> {
  const page = { limit: 2, cursor };
  let answer: Page;
  try {
    answer = userId === undefined ? await store.list(page, model.now) : await store.listByUser(userId, page, model.now);
  } catch (error) {
    const { code, field } = (error ?? {}) as { code?: unknown; field?: unknown };
    if (code === 'invalid_input' && field === 'cursor') return;
    throw new StoreMismatchError(operation, `expected InvalidInputError('cursor'), got ${String(error)}`);
  }
  throw new StoreMismatchError(operation, `expected InvalidInputError('cursor'), got the page ${show(answer)}`);
}

/** `list` or `listByUser` with a cursor the store never issued. */
export class ForeignCursorCommand extends StoreCommand {
  constructor(
    readonly cursor: string,
    /** Whose sessions to list; `undefined` lists everyone's. */
    readonly userId: ListingOf,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    await expectRefused(`${this}`, store, model, this.userId, this.cursor);
  }

  toString(): string {
    const cursor = this.cursor.length > 20 ? `${this.cursor.slice(0, 8)}... (${this.cursor.length} characters)` : this.cursor;
    return `${nameOf(this.userId)} with foreign cursor ${JSON.stringify(cursor)}`;
  }
}

/**
 * A real cursor of one listing replayed on another (another user's, or everyone's against a
 * user's and back): a cursor is valid only for the listing that issued it. Accepting it would
 * resume the other listing at a position that means nothing there and silently skip sessions.
 */
export class OtherListingCursorCommand extends StoreCommand {
  constructor(
    readonly from: ListingOf,
    readonly to: ListingOf,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const first = { limit: 1 };
    const page = this.from === undefined ? await store.list(first, model.now) : await store.listByUser(this.from, first, model.now);
    // Nothing to replay unless the listing has a second page.
    if (typeof page?.nextCursor !== 'string') return;
    await expectRefused(`${this}`, store, model, this.to, page.nextCursor);
  }

  toString(): string {
    return `${nameOf(this.to)} with the cursor of ${nameOf(this.from)}`;
  }
}
