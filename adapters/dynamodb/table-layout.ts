/**
 * The session table's layout: the one source of truth for the adapter, the local table
 * helper and the deployment definitions. Plain data, no SDK types, so anything can import it.
 *
 * - `id` is the only key of the table: a session is read and written by id alone.
 * - The `userId` index ranges over the deadline in milliseconds, so one user's live sessions
 *   are one Query: `userId = :u AND expiresAtMs > :now`.
 * - `expiresAtSeconds` is DynamoDB's TTL attribute (it must be epoch seconds); it only reclaims
 *   space, late, and reads filter on the exact `expiresAtMs`.
 */
export const sessionTableLayout = {
  attributeDefinitions: [
    { AttributeName: 'id', AttributeType: 'S' },
    { AttributeName: 'userId', AttributeType: 'S' },
    { AttributeName: 'expiresAtMs', AttributeType: 'N' },
  ],
  keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  userIndex: {
    IndexName: 'userId-expiresAtMs-index',
    KeySchema: [
      { AttributeName: 'userId', KeyType: 'HASH' },
      { AttributeName: 'expiresAtMs', KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  },
  ttlAttribute: 'expiresAtSeconds',
} as const;

/** The type of {@link sessionTableLayout}. */
export type SessionTableLayout = typeof sessionTableLayout;
