import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sessionTableLayout } from './table-layout.js';
import { describeSessionTable } from './table-status.js';

/** What {@link createSessionTable} did. */
export interface SessionTableCreation {
  /** Whether the table was made now or was there already. */
  readonly table: 'created' | 'existed';
  /**
   * Whether DynamoDB's TTL reaper is on for the table's TTL attribute. `unsupported` means the
   * endpoint has no `UpdateTimeToLive` (dynalite): expired items then stay until deleted, which
   * costs space but never correctness, since every read filters by the deadline.
   */
  readonly timeToLive: 'enabled' | 'unsupported';
}

/** How long to wait for a new table to become ACTIVE. */
const POLL_INTERVAL_MS = 500;
const POLLS = 240;

/**
 * Creates the session table from {@link sessionTableLayout} (on-demand capacity), waits until
 * it is ACTIVE, then turns on TTL where the endpoint supports it. Safe to run again on an
 * existing table.
 */
export async function createSessionTable(
  client: DynamoDBDocumentClient,
  tableName: string,
): Promise<SessionTableCreation> {
  const table = await createTable(client, tableName);
  await waitUntilActive(client, tableName);
  const timeToLive = await enableTimeToLive(client, tableName);
  return { table, timeToLive };
}

async function createTable(client: DynamoDBDocumentClient, tableName: string): Promise<'created' | 'existed'> {
  const { attributeDefinitions, keySchema } = sessionTableLayout;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [...attributeDefinitions],
        KeySchema: [...keySchema],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    return 'created';
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceInUseException') return 'existed';
    throw error;
  }
}

async function waitUntilActive(client: DynamoDBDocumentClient, tableName: string): Promise<void> {
  let status = '';
  for (let poll = 0; poll < POLLS; poll++) {
    status = await describeSessionTable(client, tableName);
    if (status === 'ready') return;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  throw new Error(`table ${tableName} did not become ready: ${status}`);
}

async function enableTimeToLive(
  client: DynamoDBDocumentClient,
  tableName: string,
): Promise<SessionTableCreation['timeToLive']> {
  const attribute = sessionTableLayout.ttlAttribute;
  try {
    const { TimeToLiveDescription: current } = await client.send(
      new DescribeTimeToLiveCommand({ TableName: tableName }),
    );
    // Turning TTL on twice is an error in DynamoDB, so a second run must look first.
    if (current?.TimeToLiveStatus === 'ENABLED' || current?.TimeToLiveStatus === 'ENABLING') {
      if (current.AttributeName !== attribute) {
        throw new Error(`table ${tableName} has TTL on ${current.AttributeName ?? '?'}, not ${attribute}`);
      }
      return 'enabled';
    }
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
      }),
    );
    return 'enabled';
  } catch (error) {
    if (error instanceof Error && error.name === 'UnknownOperationException') return 'unsupported';
    throw error;
  }
}
