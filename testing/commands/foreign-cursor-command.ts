import type { Page, SessionStore } from '../../core/index.js';
import { StoreMismatchError } from '../mismatch.js';
import type { SessionModel } from '../session-model.js';
import { show } from '../same-session.js';
import { StoreCommand } from './store-command.js';

/**
 * Cursors no store issued, yet of the form the core lets through: a store must refuse them with
 * `InvalidInputError('cursor')` (code `invalid_input`), never crash or guess.
 */
export const FOREIGN_CURSORS: readonly string[] = ['bm90LWEtY3Vyc29y', 'AAAA', '_-_-', 'x'];

/** `list` or `listByUser` with a cursor the store never issued. */
export class ForeignCursorCommand extends StoreCommand {
  constructor(
    readonly cursor: string,
    /** Whose sessions to list; `undefined` lists everyone's. */
    readonly userId: string | undefined,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const page = { limit: 2, cursor: this.cursor };
    let answer: Page;
    try {
      answer =
        this.userId === undefined
          ? await store.list(page, model.now)
          : await store.listByUser(this.userId, page, model.now);
    } catch (error) {
      const { code, field } = (error ?? {}) as { code?: unknown; field?: unknown };
      if (code === 'invalid_input' && field === 'cursor') return;
      throw new StoreMismatchError(`${this}`, `expected InvalidInputError('cursor'), got ${String(error)}`);
    }
    throw new StoreMismatchError(`${this}`, `expected InvalidInputError('cursor'), got the page ${show(answer)}`);
  }

  toString(): string {
    const who = this.userId === undefined ? 'list' : `listByUser(${JSON.stringify(this.userId)}, ...)`;
    return `${who} with foreign cursor ${JSON.stringify(this.cursor)}`;
  }
}
