import type { SessionStore } from '../../core/index.js';
import type { ListingOf, SessionModel } from '../session-model.js';
import { tickOf } from '../session-values.js';
import { maxPagesFor, walkPages, type Listing, type PagePlan } from './page-walk.js';
import { StoreCommand } from './store-command.js';

/** Everyone's listing (`userId` undefined) or one user's, read at the model's current time. */
export function listingOf(model: SessionModel, store: SessionStore, userId: ListingOf): Listing {
  return {
    get name() {
      return `${userId === undefined ? 'list' : `listByUser(${JSON.stringify(userId)})`} at ${tickOf(model.now)}`;
    },
    read: (request) => (userId === undefined ? store.list(request, model.now) : store.listByUser(userId, request, model.now)),
    live: () => model.liveSessions(userId),
    incarnation: (handle) => model.incarnation(handle),
    maxPages: () => maxPagesFor(model.created),
  };
}

/** How a plan reads in a counterexample. */
export function showPlan(plan: PagePlan): string {
  return `pages of ${plan.limits.join(',')}${plan.maxBytes === undefined ? '' : `, maxBytes ${plan.maxBytes}`}`;
}

/** `list` through every page, with page sizes of its own. */
export class ListCommand extends StoreCommand {
  constructor(readonly plan: PagePlan) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    await walkPages(listingOf(model, store, undefined), this.plan);
  }

  toString(): string {
    return `list(${showPlan(this.plan)})`;
  }
}

/** `listByUser` through every page, with page sizes of its own: never an anonymous session. */
export class ListByUserCommand extends StoreCommand {
  constructor(
    readonly userId: string,
    readonly plan: PagePlan,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    await walkPages(listingOf(model, store, this.userId), this.plan);
  }

  toString(): string {
    return `listByUser(${JSON.stringify(this.userId)}, ${showPlan(this.plan)})`;
  }
}
