import type { JsonObject, Session } from '../../core/index.js';
import { versionTag } from './entity-tags.js';

/** A session as the API shows it: ISO-8601 UTC times, no internal fields. */
export interface WireSession {
  readonly id: string;
  /** Absent for an anonymous session. */
  readonly userId?: string;
  readonly data: JsonObject;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastActiveAt: string;
  readonly expiresAt: string;
  readonly version: number;
}

/** Converts a core session to its wire form. */
export function toWireSession(session: Session): WireSession {
  return {
    id: session.id,
    ...(session.userId === undefined ? {} : { userId: session.userId }),
    data: session.data,
    createdAt: new Date(session.createdAt).toISOString(),
    updatedAt: new Date(session.updatedAt).toISOString(),
    lastActiveAt: new Date(session.lastActiveAt).toISOString(),
    expiresAt: new Date(session.expiresAt).toISOString(),
    version: session.version,
  };
}

/** The strong ETag of a session version. */
export function etagOf(session: Session): string {
  return versionTag(session.version);
}
