import fc from 'fast-check';
import type { SessionStore } from '../core/index.js';
import type { CheckSessionStoreOptions, StoreFactory, StoreLimitations } from './check-options.js';
import { AdvanceClockCommand, AdvanceToExpiryCommand } from './commands/advance-clock-command.js';
import { CreateCommand } from './commands/create-command.js';
import { DeleteByUserCommand } from './commands/delete-by-user-command.js';
import { DeleteCommand } from './commands/delete-command.js';
import { FOREIGN_CURSORS, ForeignCursorCommand, OtherListingCursorCommand } from './commands/foreign-cursor-command.js';
import { GetCommand } from './commands/get-command.js';
import { ListByUserCommand, ListCommand } from './commands/list-command.js';
import type { PagePlan } from './commands/page-walk.js';
import {
  PagingWhileWritingCommand,
  RewriteShownStep,
  type BetweenPages,
  type PassListing,
} from './commands/paging-while-writing-command.js';
import { RefreshCommand } from './commands/refresh-command.js';
import { ReplaceCommand } from './commands/replace-command.js';
import { SweepCommand } from './commands/sweep-command.js';
import { withFreshStore } from './opened-store.js';
import { SessionModel } from './session-model.js';
import { data, idSlot, ttl, user, USERS, versionChoice } from './session-values.js';

/** A page size: mostly smaller than the live sessions, so listings take several pages. */
const pageLimit = () => fc.integer({ min: 1, max: 4 });

/**
 * How one listing pages: sizes for the first pages (the last one repeats) and, half the time, a
 * byte bound small enough that the suite's data (2 to ~60 bytes a session) meets it.
 */
const pagePlan = (limit = pageLimit()): fc.Arbitrary<PagePlan> =>
  fc.record({
    limits: fc.array(limit, { minLength: 1, maxLength: 3 }),
    maxBytes: fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }),
  });

/** Everyone's listing (`undefined`) or one user's. */
const listing = () => fc.option(user(), { nil: undefined, freq: 3 });

type Command = fc.AsyncCommand<SessionModel, SessionStore>;

/** Everyone's listing, or (mostly) the listing of the user who holds the most live sessions. */
const passListing = (): fc.Arbitrary<PassListing> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant({ everyone: true as const }) },
    { weight: 3, arbitrary: fc.nat({ max: USERS.length - 1 }).map((busiest) => ({ busiest })) },
  );

/**
 * What runs between the pages of a pass: writes of what the last page showed, writes and
 * deletes of any session, and short clock steps, so that sessions written meanwhile mostly stay
 * live to the end of the pass.
 */
function betweenPages(): fc.Arbitrary<BetweenPages[]> {
  const weighted = (weight: number, arbitrary: fc.Arbitrary<BetweenPages>) => ({ weight, arbitrary });
  const step = fc.oneof(
    weighted(
      8,
      fc.tuple(fc.nat({ max: 3 }), fc.oneof(fc.constant('refresh' as const), data()), ttl()).map(
        (args) => new RewriteShownStep(...args),
      ),
    ),
    weighted(2, fc.tuple(idSlot(), user(), ttl(), data()).map((args) => new CreateCommand(...args))),
    weighted(2, fc.tuple(idSlot(), versionChoice(), data(), ttl(), user()).map((args) => new ReplaceCommand(...args))),
    weighted(3, fc.tuple(idSlot(), fc.constant('right' as const), ttl()).map((args) => new RefreshCommand(...args))),
    weighted(1, idSlot().map((slot) => new DeleteCommand(slot))),
    weighted(1, fc.integer({ min: 0, max: 1 }).map((ticks) => new AdvanceClockCommand(ticks))),
  );
  return fc.array(step, { minLength: 1, maxLength: 6 });
}

/**
 * Any port operation as a command, weighted so that sessions exist when they are read. One
 * weighted arbitrary, because `fc.commands` picks among the arbitraries it is given evenly.
 */
export function storeCommand(lacks: StoreLimitations): fc.Arbitrary<Command> {
  const weighted = (weight: number, arbitrary: fc.Arbitrary<Command>) => ({ weight, arbitrary });
  return fc.oneof(
    weighted(5, fc.tuple(idSlot(), user(), ttl(), data()).map((args) => new CreateCommand(...args))),
    weighted(3, idSlot().map((slot) => new GetCommand(slot))),
    weighted(3, fc.tuple(idSlot(), versionChoice(), data(), ttl(), user()).map((args) => new ReplaceCommand(...args))),
    weighted(3, fc.tuple(idSlot(), versionChoice(), ttl()).map((args) => new RefreshCommand(...args))),
    weighted(3, fc.tuple(idSlot(), fc.option(versionChoice(), { nil: undefined })).map(([slot, version]) => new DeleteCommand(slot, version))),
    weighted(2, pagePlan().map((plan) => new ListCommand(plan, lacks))),
    weighted(2, fc.tuple(user(), pagePlan()).map(([userId, plan]) => new ListByUserCommand(userId, plan, lacks))),
    weighted(5, fc.tuple(passListing(), pagePlan(fc.integer({ min: 1, max: 2 })), betweenPages()).map((args) => new PagingWhileWritingCommand(...args))),
    weighted(2, user().map((userId) => new DeleteByUserCommand(userId))),
    weighted(1, fc.tuple(fc.constantFrom(...FOREIGN_CURSORS), fc.option(user(), { nil: undefined })).map(
      ([cursor, userId]) => new ForeignCursorCommand(cursor, userId),
    )),
    weighted(1, fc.tuple(listing(), listing()).filter(([from, to]) => from !== to).map(
      ([from, to]) => new OtherListingCursorCommand(from, to),
    )),
    weighted(2, fc.integer({ min: 0, max: 6 }).map((ticks) => new AdvanceClockCommand(ticks))),
    weighted(3, idSlot().map((slot) => new AdvanceToExpiryCommand(slot))),
    weighted(3, pageLimit().map((limit) => new SweepCommand(limit, lacks))),
  );
}

/**
 * Random sequences of port calls give the same answers from the store as from the model.
 * Each run gets a fresh store from the factory.
 */
export function sequentialProperty(makeStore: StoreFactory, options: CheckSessionStoreOptions) {
  const commands = fc.commands([storeCommand(options.lacks ?? {})], {
    maxCommands: options.maxCommands ?? 100,
    // fast-check's default size makes at most ten commands, too few to expire, reuse and list.
    size: 'max',
    ...(options.replayPath === undefined ? {} : { replayPath: options.replayPath }),
  });
  return fc.asyncProperty(commands, (sequence) =>
    withFreshStore(makeStore, options, (store) =>
      fc.asyncModelRun(() => ({ model: new SessionModel(), real: store }), sequence),
    ),
  );
}
