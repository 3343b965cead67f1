/**
 * The DynamoDB session store: one table partitioned by the handle's home (a user's sessions
 * share one) and sorted by the handle, no index, and TTL on whole seconds to reclaim space. Import as `session-api/dynamodb`.
 * @packageDocumentation
 */
export { DynamoSessionStore, type DynamoSessionStoreOptions } from './dynamo-session-store.js';
export {
  EVENT_GAP_WAIT_MS,
  EVENT_PARTITIONS_DEFAULT,
  type DynamoEventLogOptions,
} from './dynamo-event-log.js';
export { createSessionTable, type SessionTableCreation } from './create-session-table.js';
export { sessionTableLayout, type SessionTableLayout } from './table-layout.js';
export { MAX_ITEM_BYTES, sessionItemSize } from './item-size.js';
export { toSessionItem, type SessionItem } from './session-item.js';
export {
  closeDynamoDocumentClient,
  createDynamoDocumentClient,
  DYNAMODB_CONNECTION_TIMEOUT_MS,
  DYNAMODB_MAX_ATTEMPTS,
  DYNAMODB_REQUEST_TIMEOUT_MS,
  type DynamoDocumentClientOptions,
} from './create-dynamo-document-client.js';
