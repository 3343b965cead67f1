import fc from 'fast-check';
import { encodePageCursor, type SessionStore } from '../core/index.js';
import type { CheckSessionStoreOptions, StoreFactory } from './check-options.js';
import { EventCheckedCommand } from './commands/event-checked-command.js';
import { FOREIGN_CURSORS } from './commands/foreign-cursor-command.js';
import { SweepExpiredCommand } from './commands/sweep-expired-command.js';
import { readNewEvents } from './event-reading.js';
import { StoreMismatchError } from './mismatch.js';
import { withFreshStore } from './opened-store.js';
import { show } from './same-session.js';
import { storeCommand } from './sequential-property.js';
import { SessionModel } from './session-model.js';
import { universe } from './session-universe.js';
import { tickOf } from './session-values.js';

type Command = fc.AsyncCommand<SessionModel, SessionStore>;

/** Every command of the sequential property, each followed by a read of its events, and sweeps. */
function eventCommand(sessionCaps: boolean): fc.Arbitrary<Command> {
  return fc.oneof(
    { weight: 12, arbitrary: storeCommand(sessionCaps).map((command): Command => new EventCheckedCommand(command)) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }).map((budget): Command => new SweepExpiredCommand(budget)) },
  );
}

// Cursors no event log issues: listing cursors (of everyone's listing and a user's) and text
// that is no cursor at all.
const FOREIGN_EVENT_CURSORS = [encodePageCursor(undefined, '1'), encodePageCursor('a', 'dnMh.AAAAAAAAAAAAAAAAAAAAAA'), ...FOREIGN_CURSORS.slice(0, 2)];

/**
 * The end of a run: sweeps until one claims less than its budget (then every expired session
 * has recorded its expiry, exactly once), the tail (nothing reads after it), and cursors the log
 * never issued (refused with `InvalidInputError('cursor')`).
 */
async function finish(model: SessionModel, store: SessionStore): Promise<void> {
  const log = store.events!;
  const sweep = new SweepExpiredCommand(2);
  // Each full sweep claims two of the sessions the run created; more sweeps claim the same again.
  for (let sweeps = 0; (await sweep.claim(model, store)) === sweep.budget; sweeps++) {
    if (sweeps > model.created) throw new StoreMismatchError(`sweepExpired(${tickOf(model.now)}, budget 2)`, `still claiming after ${sweeps} sweeps`);
  }
  const tail = await log.tail(model.now);
  const after = await log.read(tail, 10, model.now);
  if (after.events.length > 0) throw new StoreMismatchError(`read(tail) at ${tickOf(model.now)}`, `expected no events, got ${show(after.events)}`);
  for (const cursor of FOREIGN_EVENT_CURSORS) {
    const operation = `events.read(${JSON.stringify(cursor)}) with a cursor no event log issued`;
    const answer = await log.read(cursor, 10, model.now).then(
      (page) => ({ page }),
      (error: unknown) => ({ error }),
    );
    if ('page' in answer) throw new StoreMismatchError(operation, `expected InvalidInputError('cursor'), got the page ${show(answer.page)}`);
    const { code, field } = (answer.error ?? {}) as { code?: unknown; field?: unknown };
    if (code !== 'invalid_input' || field !== 'cursor') throw new StoreMismatchError(operation, `expected InvalidInputError('cursor'), got ${String(answer.error)}`);
  }
  await readNewEvents(model, log, 'the end of the run');
}

/**
 * For a store with events: random sequences of every port call (the sequential property's
 * commands) and sweeps, with the store's events read after each call, and they are exactly what
 * the model's changes make (types, order per session, reasons, versions, previousId,
 * graceUntil); each expiry recorded once, at its deadline, by whatever reclaimed it first.
 */
export function eventsProperty(makeStore: StoreFactory, options: CheckSessionStoreOptions) {
  const commands = fc.commands([eventCommand(options.sessionCaps ?? true)], {
    maxCommands: options.maxCommands ?? 100,
    size: 'max',
    ...(options.replayPath === undefined ? {} : { replayPath: options.replayPath }),
  });
  return fc.asyncProperty(universe(), commands, (names, sequence) =>
    withFreshStore(makeStore, options, async (store) => {
      if (store.events === undefined) throw new StoreMismatchError('events', 'the factory made a store without events (it made one with them before)');
      let model: SessionModel | undefined;
      await fc.asyncModelRun(() => {
        model = new SessionModel(names);
        return { model, real: store };
      }, sequence);
      await finish(model!, store);
    }),
  );
}
