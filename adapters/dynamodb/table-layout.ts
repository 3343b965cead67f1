/**
 * The session table's layout: the one source of truth for the adapter, the local table
 * helper and the deployment definitions. Plain data, no SDK types, so anything can import it.
 *
 * - `id` is the only key of the table: a session is read and written by id alone.
 * - The `userId` index ranges over the id, a key no write ever moves, so paging through one
 *   user's sessions shows each once however often they are written meanwhile (an index ranged
 *   by the deadline moved a session behind the cursor on every extension and showed it again).
 *   A Query filters the expired ones out by `expiresAtMs > :now`.
 * - `expiresAtSeconds` is DynamoDB's TTL attribute (it must be epoch seconds); it only reclaims
 *   space, late, and reads filter on the exact `expiresAtMs`.
 */
export const sessionTableLayout = {
  attributeDefinitions: [
    { AttributeName: 'id', AttributeType: 'S' },
    { AttributeName: 'userId', AttributeType: 'S' },
  ],
  keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  userIndex: {
    IndexName: 'userId-id-index',
    KeySchema: [
      { AttributeName: 'userId', KeyType: 'HASH' },
      { AttributeName: 'id', KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  },
  ttlAttribute: 'expiresAtSeconds',
} as const;

/** The type of {@link sessionTableLayout}. */
export type SessionTableLayout = typeof sessionTableLayout;
