/**
 * The session table's layout: the one source of truth for the adapter, the local table
 * helper and the deployment definitions. Plain data, no SDK types, so anything can import it.
 *
 * - Partition key `home`: the handle's first 4 characters (`homeOf`). All sessions of one user
 *   share a home (`userHome`), so a user's sessions are one item collection: a page of them is a
 *   strongly consistent Query of one partition, with no index that lags behind the writes.
 * - Sort key `id`: the handle (or an alias's). The handle alone names its item's whole key, so
 *   get, resolve, update and delete are one request each. Paging by `id` shows each session
 *   once however often it is written meanwhile (no write moves a key).
 * - No secondary index.
 * - `expiresAtSeconds` is DynamoDB's TTL attribute (it must be epoch seconds); it only reclaims
 *   space, late, and reads filter on the exact `expiresAtMs`.
 */
export const sessionTableLayout = {
  attributeDefinitions: [
    { AttributeName: 'home', AttributeType: 'S' },
    { AttributeName: 'id', AttributeType: 'S' },
  ],
  keySchema: [
    { AttributeName: 'home', KeyType: 'HASH' },
    { AttributeName: 'id', KeyType: 'RANGE' },
  ],
  ttlAttribute: 'expiresAtSeconds',
} as const;

/** The type of {@link sessionTableLayout}. */
export type SessionTableLayout = typeof sessionTableLayout;
