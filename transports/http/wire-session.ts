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
  // The session's context, flat: each field only when the session has it.
  /** The client's address, in normal form. */
  readonly ip?: string;
  readonly userAgent?: string;
  readonly device?: string;
  /** When the user last authenticated. */
  readonly authenticatedAt?: string;
  readonly authMethods?: readonly string[];
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
    ...contextFields(session),
  };
}

/** The context's fields as the wire shows them (ISO time), in the order the serialiser writes them. */
function contextFields({ context }: Session): Partial<WireSession> {
  if (context === undefined) return {};
  return {
    ...(context.ip === undefined ? {} : { ip: context.ip }),
    ...(context.userAgent === undefined ? {} : { userAgent: context.userAgent }),
    ...(context.device === undefined ? {} : { device: context.device }),
    ...(context.authenticatedAt === undefined ? {} : { authenticatedAt: new Date(context.authenticatedAt).toISOString() }),
    ...(context.authMethods === undefined ? {} : { authMethods: context.authMethods }),
  };
}

/** The strong ETag of a session version. */
export function etagOf(session: Session): string {
  return versionTag(session.version);
}
