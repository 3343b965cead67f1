import type { SessionEvent } from '../../../core/index.js';
import { EventfulStore } from './eventful-store.js';

/** Mutant: logging out the other devices is reported as logging out everywhere. */
export class WrongReasonEventStore extends EventfulStore {
  protected override shown(event: SessionEvent): SessionEvent {
    return event.reason === 'logout-others' ? { ...event, reason: 'logout-everywhere' } : event;
  }
}
