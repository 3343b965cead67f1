import fc from 'fast-check';
import type { SessionStore } from '../core/index.js';
import type { CheckSessionStoreOptions, StoreFactory, StoreLimitations } from './check-options.js';
import { AdvanceClockCommand } from './commands/advance-clock-command.js';
import { CreateCommand } from './commands/create-command.js';
import { DeleteByUserCommand } from './commands/delete-by-user-command.js';
import { DeleteCommand } from './commands/delete-command.js';
import { FOREIGN_CURSORS, ForeignCursorCommand } from './commands/foreign-cursor-command.js';
import { GetCommand } from './commands/get-command.js';
import { ListByUserCommand, ListCommand } from './commands/list-command.js';
import { RefreshCommand } from './commands/refresh-command.js';
import { ReplaceCommand } from './commands/replace-command.js';
import { withFreshStore } from './opened-store.js';
import { SessionModel } from './session-model.js';
import { data, idSlot, ttl, user, versionChoice } from './session-values.js';

/** Page sizes for one listing: 1 to 3 pages' worth, each 1 to 7. */
const pageLimits = () => fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 3 });

type Command = fc.AsyncCommand<SessionModel, SessionStore>;

/**
 * Any port operation as a command, weighted so that sessions exist when they are read. One
 * weighted arbitrary, because `fc.commands` picks among the arbitraries it is given evenly.
 */
export function storeCommand(lacks: StoreLimitations): fc.Arbitrary<Command> {
  const weighted = (weight: number, arbitrary: fc.Arbitrary<Command>) => ({ weight, arbitrary });
  return fc.oneof(
    weighted(4, fc.tuple(idSlot(), user(), ttl(), data()).map((args) => new CreateCommand(...args))),
    weighted(3, idSlot().map((slot) => new GetCommand(slot))),
    weighted(3, fc.tuple(idSlot(), versionChoice(), data(), ttl(), user()).map((args) => new ReplaceCommand(...args))),
    weighted(3, fc.tuple(idSlot(), versionChoice(), ttl()).map((args) => new RefreshCommand(...args))),
    weighted(2, idSlot().map((slot) => new DeleteCommand(slot))),
    weighted(2, pageLimits().map((limits) => new ListCommand(limits, lacks))),
    weighted(2, fc.tuple(user(), pageLimits()).map(([userId, limits]) => new ListByUserCommand(userId, limits, lacks))),
    weighted(1, user().map((userId) => new DeleteByUserCommand(userId))),
    weighted(1, fc.tuple(fc.constantFrom(...FOREIGN_CURSORS), fc.option(user(), { nil: undefined })).map(
      ([cursor, userId]) => new ForeignCursorCommand(cursor, userId),
    )),
    weighted(3, fc.integer({ min: 0, max: 6 }).map((ticks) => new AdvanceClockCommand(ticks))),
  );
}

/**
 * Random sequences of port calls give the same answers from the store as from the model.
 * Each run gets a fresh store from the factory.
 */
export function sequentialProperty(makeStore: StoreFactory, options: CheckSessionStoreOptions) {
  const commands = fc.commands([storeCommand(options.lacks ?? {})], {
    maxCommands: options.maxCommands ?? 60,
    ...(options.replayPath === undefined ? {} : { replayPath: options.replayPath }),
  });
  return fc.asyncProperty(commands, (sequence) =>
    withFreshStore(makeStore, options, (store) =>
      fc.asyncModelRun(() => ({ model: new SessionModel(), real: store }), sequence),
    ),
  );
}
