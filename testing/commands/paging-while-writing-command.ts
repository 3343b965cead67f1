import type fc from 'fast-check';
import type { JsonObject, Session, SessionStore } from '../../core/index.js';
import type { SessionModel } from '../session-model.js';
import { ticks, USERS } from '../session-values.js';
import { listingOf, showPlan } from './list-command.js';
import { walkPagesWhile, type PagePlan } from './page-walk.js';
import { StoreCommand } from './store-command.js';
import { UpdateCommand } from './update-command.js';

type Command = fc.AsyncCommand<SessionModel, SessionStore>;

/**
 * A sliding write of a session the page before just showed, at the right version, a moment
 * later (so the slide moves its deadline): what moves a session behind the cursor in a listing
 * ordered by anything a write changes (a deadline, `updatedAt`).
 */
export class RewriteShownStep {
  constructor(
    /** Which of the shown sessions (modulo how many were shown). */
    readonly pick: number,
    /** The new data, or none (a refresh). */
    readonly data: JsonObject | undefined,
    /** How long after the page it is written (ms, at least 1). */
    readonly wait: number,
  ) {}

  async run(model: SessionModel, store: SessionStore, shown: readonly Session[]): Promise<void> {
    const session = shown[this.pick % Math.max(shown.length, 1)];
    if (session === undefined) return;
    const slot = model.universe.slots.findIndex((candidate) => candidate.handle === session.id);
    model.now += this.wait;
    await new UpdateCommand(slot, 'right', this.data, true, { far: true }).run(model, store);
  }

  toString(): string {
    const what = this.data === undefined ? 'refresh' : `replace with ${JSON.stringify(this.data)}`;
    return `${what} shown[${this.pick}] after ${ticks(this.wait)}`;
  }
}

/** What runs after a page: any command, or a write of what the page showed. */
export type BetweenPages = Command | RewriteShownStep;

/**
 * Whose sessions a pass lists: everyone's, or the busiest user's (the most live sessions when
 * the pass starts; ties go to the one whose turn `rotation` picks), so that it takes pages.
 */
export type PassListing = { readonly everyone: true } | { readonly busiest: number };

/**
 * One pass through a listing (everyone's, or one user's) with other calls between its pages:
 * creates, updates, deletes and clock steps, each checked against the model as
 * usual. A session that stays live through the pass must show exactly once however often it is
 * written meanwhile, which a listing ordered by something that moves (a deadline) breaks.
 */
export class PagingWhileWritingCommand extends StoreCommand {
  constructor(
    readonly listing: PassListing,
    readonly plan: PagePlan,
    /** What runs after each page, in turn; paging goes on quietly once they are used up. */
    readonly steps: readonly BetweenPages[],
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const userId = 'everyone' in this.listing ? undefined : busiestUser(model, this.listing.busiest);
    await walkPagesWhile(listingOf(model, store, userId), this.plan, async (index, shown) => {
      const step = this.steps[index];
      if (step instanceof RewriteShownStep) await step.run(model, store, shown);
      else await step?.run(model, store);
    });
  }

  toString(): string {
    const who = 'everyone' in this.listing ? 'list' : `listByUser(busiest user, rotation ${this.listing.busiest}`;
    return `${who}${'everyone' in this.listing ? '(' : ', '}${showPlan(this.plan)}, between pages: ${this.steps.join('; ')})`;
  }
}

/** The user with the most live sessions now; among equals, the `rotation`-th in `USERS` order. */
function busiestUser(model: SessionModel, rotation: number): string {
  const counts = USERS.map((userId) => model.liveSessions(userId).length);
  const most = Math.max(...counts);
  const busiest = USERS.filter((_, i) => counts[i] === most);
  return busiest[rotation % busiest.length]!;
}
