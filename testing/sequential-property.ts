import fc from 'fast-check';
import type { SessionStore } from '../core/index.js';
import type { CheckSessionStoreOptions, StoreFactory, StoreLimitations } from './check-options.js';
import { AdvanceClockCommand, AdvanceToExpiryCommand } from './commands/advance-clock-command.js';
import { CreateCommand } from './commands/create-command.js';
import { DeleteByUserCommand } from './commands/delete-by-user-command.js';
import { DeleteCommand } from './commands/delete-command.js';
import { FOREIGN_CURSORS, ForeignCursorCommand } from './commands/foreign-cursor-command.js';
import { GetCommand } from './commands/get-command.js';
import { ListByUserCommand, ListCommand } from './commands/list-command.js';
import { RefreshCommand } from './commands/refresh-command.js';
import { ReplaceCommand } from './commands/replace-command.js';
import { SweepCommand } from './commands/sweep-command.js';
import { withFreshStore } from './opened-store.js';
import { SessionModel } from './session-model.js';
import { data, idSlot, ttl, user, versionChoice } from './session-values.js';

/** A page size: mostly smaller than the live sessions, so listings take several pages. */
const pageLimit = () => fc.integer({ min: 1, max: 4 });

/** Page sizes for one listing: the first pages' own, then the last one repeated. */
const pageLimits = () => fc.array(pageLimit(), { minLength: 1, maxLength: 3 });

type Command = fc.AsyncCommand<SessionModel, SessionStore>;

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
    weighted(2, pageLimits().map((limits) => new ListCommand(limits, lacks))),
    weighted(2, fc.tuple(user(), pageLimits()).map(([userId, limits]) => new ListByUserCommand(userId, limits, lacks))),
    weighted(2, user().map((userId) => new DeleteByUserCommand(userId))),
    weighted(1, fc.tuple(fc.constantFrom(...FOREIGN_CURSORS), fc.option(user(), { nil: undefined })).map(
      ([cursor, userId]) => new ForeignCursorCommand(cursor, userId),
    )),
    weighted(2, fc.integer({ min: 0, max: 6 }).map((ticks) => new AdvanceClockCommand(ticks))),
    weighted(2, idSlot().map((slot) => new AdvanceToExpiryCommand(slot))),
    weighted(2, pageLimit().map((limit) => new SweepCommand(limit, lacks))),
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
