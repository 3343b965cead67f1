import type { SessionEvent, SessionEventLog } from '../core/index.js';
import { StoreMismatchError } from './mismatch.js';
import { show } from './same-session.js';
import type { SessionModel } from './session-model.js';
import { tickOf } from './session-values.js';

// A run records a few hundred events at most; a log still answering events after this many
// pages hands out the same ones again, or cursors that do not move.
const MAX_PAGES = 10_000;

/**
 * Reads what the store recorded since the run last read, in pages of 1 to 4 events, and matches
 * each against the model's journal; then every event the model's changes owe must have been
 * read, since a store records an event in the same step as its change. Answers the events read.
 */
export async function readNewEvents(model: SessionModel, log: SessionEventLog, after: string): Promise<SessionEvent[]> {
  const journal = model.events;
  const where = `events recorded by ${after} (read at ${tickOf(model.now)})`;
  const read: SessionEvent[] = [];
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const limit = 1 + (journal.pages++ % 4);
    const page = await log.read(journal.cursor, limit, model.now);
    if (!Array.isArray(page?.events) || typeof page.cursor !== 'string') throw new StoreMismatchError(where, `not an event page: ${show(page)}`);
    if (page.events.length > limit) throw new StoreMismatchError(where, `a page of ${page.events.length} events, over its limit ${limit}`);
    for (const event of page.events) {
      const problem = journal.match(event, model.now);
      if (problem !== undefined) throw new StoreMismatchError(where, problem);
      read.push(event);
    }
    journal.cursor = page.cursor;
    if (page.events.length === 0) {
      const missing = journal.missing();
      if (missing.length > 0) throw new StoreMismatchError(where, `the store recorded none of ${missing.join(', ')}`);
      return read;
    }
  }
  throw new StoreMismatchError(where, `still reading events after ${MAX_PAGES} pages`);
}
