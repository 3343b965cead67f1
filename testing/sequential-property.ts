import fc from 'fast-check';
import type { SessionLimit, SessionStore } from '../core/index.js';
import type { CheckSessionStoreOptions, StoreFactory } from './check-options.js';
import { AdvanceClockCommand, AdvanceToExpiryCommand } from './commands/advance-clock-command.js';
import { CappedCreateCommand, CreateCommand } from './commands/create-command.js';
import { CountByUserCommand } from './commands/count-by-user-command.js';
import { DeleteByUserCommand } from './commands/delete-by-user-command.js';
import { DeleteCommand, type AliasHint } from './commands/delete-command.js';
import { FOREIGN_CURSORS, ForeignCursorCommand, OtherListingCursorCommand } from './commands/foreign-cursor-command.js';
import { GetCommand, ResolveCommand } from './commands/get-command.js';
import { HandoverCommand } from './commands/handover-command.js';
import { ListByUserCommand, ListCommand } from './commands/list-command.js';
import type { PagePlan } from './commands/page-walk.js';
import {
  PagingWhileWritingCommand,
  RewriteShownStep,
  type BetweenPages,
  type PassListing,
} from './commands/paging-while-writing-command.js';
import { RotateCommand } from './commands/rotate-command.js';
import { SweepCommand } from './commands/sweep-command.js';
import { TouchRunCommand } from './commands/touch-run-command.js';
import { UpdateCommand, type Reach } from './commands/update-command.js';
import { withFreshStore } from './opened-store.js';
import { SessionModel } from './session-model.js';
import { slot, SLOT_COUNT, universe } from './session-universe.js';
import { advance, context, data, TICK, ttl, user, USERS, versionChoice } from './session-values.js';

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

/** An absolute timeout that caps nothing, or a deadline 1 ms to 4.999 ticks from now. */
const reach = (): fc.Arbitrary<Reach> =>
  fc.oneof(fc.constant({ far: true } as const), advance(4).map((after) => ({ after: after + 1 })));

/** Half the time a conditional write (mostly at the right version), half the time a free one. */
const maybeVersion = () => fc.option(versionChoice(), { nil: undefined, freq: 2 });

/** Half the time new data (a replace), half the time none (a refresh). */
const maybeData = () => fc.option(data(), { nil: undefined, freq: 2 });

/**
 * A touch interval: none, 0 (every refresh writes), small (below the clock's steps and the
 * ttls, so refreshes land within and after it) or larger than every clock step (then half the
 * ttl is what throttles), all with millisecond parts.
 */
const touchInterval = (): fc.Arbitrary<number | undefined> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 3, arbitrary: advance(1).map((ms) => ms + 1) },
    { weight: 1, arbitrary: advance(4).map((ms) => ms + 7 * TICK) },
  );

const create = () => fc.tuple(slot(), fc.boolean(), ttl(), data(), context()).map((args) => new CreateCommand(...args));
/** A rotation's grace: none, within a session's life, or beyond it (capped by it). */
const grace = () => fc.oneof(fc.constant(0), advance(3), advance(8));
/** A session cap as the capped commands take one: small, so the users reach it. */
const sessionLimit = (): fc.Arbitrary<SessionLimit> =>
  fc.record({ max: fc.constantFrom(1, 2, 2, 3), policy: fc.constantFrom('evict-oldest' as const, 'evict-idlest' as const, 'reject' as const) });
/** A rotation, for a store that applies session caps half the time under one (a login counts against it). */
const rotate = (sessionCaps: boolean) =>
  fc
    .tuple(slot(), fc.nat({ max: 7 }), grace(), versionChoice(), fc.boolean(), reach(), sessionCaps ? fc.option(sessionLimit(), { nil: undefined }) : fc.constant(undefined))
    .map(([at, target, graceMs, version, slide, to, limit]) => new RotateCommand(at, target, graceMs, version, slide, to, limit));
const cappedCreate = () =>
  fc
    .tuple(slot(), fc.boolean(), ttl(), data(), sessionLimit())
    .map(([at, withAlias, life, value, limit]) => new CappedCreateCommand(at, withAlias, life, value, limit));
/** A delete's alias hint (see `AliasHint`): its own alias, another live session's, or any name of the run. */
const aliasHint = (): fc.Arbitrary<AliasHint> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant({ pick: 'own' as const }) },
    { weight: 3, arbitrary: fc.nat({ max: SLOT_COUNT - 1 }).map((index) => ({ pick: 'live-alias' as const, index })) },
    {
      weight: 1,
      arbitrary: fc.record({ pick: fc.constant('name' as const), slot: slot(), via: fc.constantFrom('handle' as const, 'alias' as const, 'stranger' as const) }),
    },
  );
/** The cause the service passes: none (a replace), or either write it names. */
const cause = () => fc.constantFrom(undefined, 'replace' as const, 'patch' as const);
const update = () =>
  fc.tuple(slot(), maybeVersion(), maybeData(), fc.boolean(), reach(), touchInterval(), cause()).map((args) => new UpdateCommand(...args));

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
    weighted(8, fc.tuple(fc.nat({ max: 3 }), maybeData(), advance(1).map((wait) => wait + 1)).map((args) => new RewriteShownStep(...args))),
    weighted(2, create()),
    weighted(4, update()),
    weighted(1, fc.tuple(slot(), fc.option(aliasHint(), { nil: undefined })).map(([at, hint]) => new DeleteCommand(at, undefined, hint))),
    weighted(1, advance(1).map((duration) => new AdvanceClockCommand(duration))),
  );
  return fc.array(step, { minLength: 1, maxLength: 6 });
}

/**
 * Any port operation as a command, weighted so that sessions exist when they are read. One
 * weighted arbitrary, because `fc.commands` picks among the arbitraries it is given evenly.
 */
export function storeCommand(sessionCaps = true): fc.Arbitrary<Command> {
  const weighted = (weight: number, arbitrary: fc.Arbitrary<Command>) => ({ weight, arbitrary });
  return fc.oneof(
    weighted(6, create()),
    ...(sessionCaps ? [weighted(8, cappedCreate())] : []),
    weighted(3, fc.tuple(slot(), fc.constantFrom('handle' as const, 'handle' as const, 'alias' as const)).map((args) => new GetCommand(...args))),
    weighted(3, fc.tuple(slot(), fc.constantFrom('handle' as const, 'alias' as const, 'alias' as const, 'stranger' as const)).map((args) => new ResolveCommand(...args))),
    weighted(6, update()),
    weighted(
      4,
      fc
        .tuple(
          slot(),
          advance(1).map((ms) => ms + 1),
          fc.array(fc.record({ wait: advance(1), data: fc.option(data(), { nil: undefined, freq: 3 }) }), { minLength: 2, maxLength: 5 }),
        )
        .map((args) => new TouchRunCommand(...args)),
    ),
    weighted(sessionCaps ? 6 : 4, rotate(sessionCaps)),
    weighted(
      4,
      fc
        .tuple(slot(), fc.option(versionChoice(), { nil: undefined }), fc.option(aliasHint(), { nil: undefined, freq: 4 }))
        .map(([at, version, hint]) => new DeleteCommand(at, version, hint)),
    ),
    weighted(2, pagePlan().map((plan) => new ListCommand(plan))),
    weighted(2, fc.tuple(user(), pagePlan()).map(([userId, plan]) => new ListByUserCommand(userId, plan))),
    weighted(9, fc.tuple(passListing(), pagePlan(fc.integer({ min: 1, max: 2 })), betweenPages()).map((args) => new PagingWhileWritingCommand(...args))),
    weighted(2, user().map((userId) => new DeleteByUserCommand(userId))),
    weighted(1, fc.tuple(user(), slot()).map(([userId, except]) => new DeleteByUserCommand(userId, except))),
    weighted(2, slot().map((except) => new DeleteByUserCommand(undefined, except))),
    weighted(2, user().map((userId) => new CountByUserCommand(userId))),
    weighted(3, fc.tuple(ttl(), data(), fc.boolean(), fc.constantFrom('delete' as const, 'expire' as const)).map((args) => new HandoverCommand(...args))),
    weighted(1, fc.tuple(fc.constantFrom(...FOREIGN_CURSORS), fc.option(user(), { nil: undefined })).map(
      ([cursor, userId]) => new ForeignCursorCommand(cursor, userId),
    )),
    weighted(1, fc.tuple(listing(), listing()).filter(([from, to]) => from !== to).map(
      ([from, to]) => new OtherListingCursorCommand(from, to),
    )),
    weighted(2, advance(6).map((duration) => new AdvanceClockCommand(duration))),
    weighted(3, slot().map((at) => new AdvanceToExpiryCommand(at))),
    weighted(3, pageLimit().map((limit) => new SweepCommand(limit))),
  );
}

/**
 * Random sequences of port calls give the same answers from the store as from the model, over
 * the names of a generated universe (handles, homes, aliases). Each run gets a fresh store.
 */
export function sequentialProperty(makeStore: StoreFactory, options: CheckSessionStoreOptions) {
  const commands = fc.commands([storeCommand(options.sessionCaps ?? true)], {
    maxCommands: options.maxCommands ?? 100,
    // fast-check's default size makes at most ten commands, too few to expire, reuse and list.
    size: 'max',
    ...(options.replayPath === undefined ? {} : { replayPath: options.replayPath }),
  });
  return fc.asyncProperty(universe(), commands, (names, sequence) =>
    withFreshStore(makeStore, options, (store) =>
      fc.asyncModelRun(() => ({ model: new SessionModel(names), real: store }), sequence),
    ),
  );
}
