import type { Session } from '../../core/index.js';

/**
 * A session as the scripts store it: one hash whose fields are, in this order, userId, data
 * (JSON text), createdAt, updatedAt, expiresAt, version, ttl. The scripts' FIELDS list and
 * HSET calls follow the same order.
 */
export type StoredFields = readonly [string, string, string, string, string, string, string];

/** The field names, in the stored order (for a plain HMGET). */
export const STORED_FIELD_NAMES = ['userId', 'data', 'createdAt', 'updatedAt', 'expiresAt', 'version', 'ttl'] as const;

/** The field values to write, in the stored order. */
export function toFields(session: Session): StoredFields {
  return [
    session.userId,
    JSON.stringify(session.data),
    String(session.createdAt),
    String(session.updatedAt),
    String(session.expiresAt),
    String(session.version),
    String(session.ttl),
  ];
}

/** The session a script returned (the field values in the stored order). */
export function fromFields(id: string, fields: readonly string[]): Session {
  const [userId, data, createdAt, updatedAt, expiresAt, version, ttl] = fields;
  if (ttl === undefined || userId === undefined || data === undefined) {
    throw new Error(`session ${id} is stored without all of its fields`);
  }
  return {
    id,
    userId,
    // JSON.parse defines keys as own data properties, so a "__proto__" key stays plain data.
    data: JSON.parse(data),
    createdAt: Number(createdAt),
    updatedAt: Number(updatedAt),
    expiresAt: Number(expiresAt),
    version: Number(version),
    ttl: Number(ttl),
  };
}
