import type { SessionStore } from '../../core/index.js';
import type { StoreLimitations } from '../check-options.js';
import type { SessionModel } from '../session-model.js';
import { tickOf } from '../session-values.js';
import { walkPages } from './page-walk.js';
import { StoreCommand } from './store-command.js';

/** `list` through every page, with page sizes of its own. */
export class ListCommand extends StoreCommand {
  constructor(
    readonly limits: readonly number[],
    readonly lacks: StoreLimitations,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    await walkPages(
      `list at ${tickOf(model.now)}`,
      (page) => store.list(page, model.now),
      this.limits,
      model.liveSessions(),
      this.lacks,
    );
  }

  toString(): string {
    return `list(pages of ${this.limits.join(',')})`;
  }
}

/** `listByUser` through every page, with page sizes of its own. */
export class ListByUserCommand extends StoreCommand {
  constructor(
    readonly userId: string,
    readonly limits: readonly number[],
    readonly lacks: StoreLimitations,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    await walkPages(
      `listByUser(${JSON.stringify(this.userId)}) at ${tickOf(model.now)}`,
      (page) => store.listByUser(this.userId, page, model.now),
      this.limits,
      model.liveSessions(this.userId),
      this.lacks,
    );
  }

  toString(): string {
    return `listByUser(${JSON.stringify(this.userId)}, pages of ${this.limits.join(',')})`;
  }
}
