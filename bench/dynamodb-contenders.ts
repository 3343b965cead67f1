import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import connectDynamoDB from 'connect-dynamodb';
import session from 'express-session';
import { createSessionTable, DynamoSessionStore, toSessionItem } from '../adapters/dynamodb/index.js';
import { itemKey } from '../adapters/dynamodb/session-item.js';
import {
  closeDynamoDocumentClient,
  createDynamoDocumentClient,
  DYNAMODB_CONNECTION_TIMEOUT_MS,
  DYNAMODB_MAX_ATTEMPTS,
  DYNAMODB_REQUEST_TIMEOUT_MS,
} from '../adapters/dynamodb/create-dynamo-document-client.js';
import { DYNALITE_CREDENTIALS } from './dynalite-process.js';
import { expressSessionContender } from './express-session-contender.js';
import { benchSession, BENCH_TTL_MS } from './session-fixture.js';
import { sessionStoreContender } from './session-store-contender.js';
import { expectOutcome, freshIds, type StoreContender } from './store-contender.js';
import { SUBJECTS } from './subjects.js';

const REGION = 'us-east-1';
const TABLE = 'bench-sessions';

/**
 * Our DynamoDB store, the raw lib-dynamodb requests that bound it (on the same table), and
 * connect-dynamodb (on its own table, which it creates), all on one dynalite. Each has a client
 * of its own, configured as the service configures its client.
 */
export async function dynamoContenders(endpoint: string): Promise<StoreContender[]> {
  const documentClient = (): DynamoDBDocumentClient => createDynamoDocumentClient({ region: REGION, endpoint, credentials: DYNALITE_CREDENTIALS });
  const ours = documentClient();
  const raw = documentClient();
  await createSessionTable(ours, TABLE);
  // connect-dynamodb sends plain (marshalled) commands, so it takes the base client.
  const peerClient = new DynamoDBClient({
    region: REGION,
    endpoint,
    credentials: DYNALITE_CREDENTIALS,
    retryMode: 'standard',
    maxAttempts: DYNAMODB_MAX_ATTEMPTS,
    requestHandler: { connectionTimeout: DYNAMODB_CONNECTION_TIMEOUT_MS, requestTimeout: DYNAMODB_REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
  });
  const DynamoDBStore = connectDynamoDB({ session } as never) as unknown as new (options: object) => session.Store & {
    initialize(): Promise<void>;
  };
  const peer = new DynamoDBStore({ client: peerClient, table: 'bench-connect-sessions' });
  // It creates its table on first use, once per caller in flight: concurrent first calls race
  // to create it and fail unhandled. Created once here, as an application would at start-up.
  await peer.initialize();
  return [
    sessionStoreContender(SUBJECTS.dynamoOurs, new DynamoSessionStore(ours, TABLE), async () => closeDynamoDocumentClient(ours)),
    rawDynamoContender(raw, async () => closeDynamoDocumentClient(raw)),
    expressSessionContender(SUBJECTS.connectDynamo, peer, async () => peerClient.destroy()),
  ];
}

/**
 * The ceiling: one unconditional request per operation on the item our store writes
 * (`PutItem`, a strongly consistent `GetItem`, an `UpdateItem` of the expiry, `DeleteItem`).
 */
function rawDynamoContender(client: DynamoDBDocumentClient, close: () => Promise<void>): StoreContender {
  return {
    name: SUBJECTS.dynamoRaw,
    notes: { create: 'PutItem', get: 'GetItem', replace: 'PutItem', refresh: 'UpdateItem', delete: 'DeleteItem' },
    async cycle(count) {
      const ids = freshIds(count);
      const idAt = (index: number): string => ids[index] as string;
      const put = async (index: number): Promise<void> => {
        await client.send(new PutCommand({ TableName: TABLE, Item: toSessionItem(benchSession(idAt(index), Date.now())) }));
      };
      return {
        create: put,
        async get(index) {
          const { Item } = await client.send(new GetCommand({ TableName: TABLE, Key: itemKey(idAt(index)), ConsistentRead: true }));
          expectOutcome('GetItem', Item?.['id'], idAt(index));
        },
        replace: put,
        async refresh(index) {
          const now = Date.now();
          await client.send(
            new UpdateCommand({
              TableName: TABLE,
              Key: itemKey(idAt(index)),
              UpdateExpression: 'SET expiresAtMs = :expiresAt, expiresAtSeconds = :seconds, updatedAt = :now ADD version :one',
              ExpressionAttributeValues: { ':expiresAt': now + BENCH_TTL_MS, ':seconds': Math.ceil((now + BENCH_TTL_MS) / 1000), ':now': now, ':one': 1 },
            }),
          );
        },
        async delete(index) {
          await client.send(new DeleteCommand({ TableName: TABLE, Key: itemKey(idAt(index)) }));
        },
      };
    },
    close,
  };
}
