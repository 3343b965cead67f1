import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sessionTableLayout } from './table-layout.js';

const EXPECTED_KEYS = sessionTableLayout.keySchema.map((key) => `${key.AttributeName} ${key.KeyType}`).join(', ');

/**
 * Whether the session table can serve: `ready` when it is ACTIVE and keyed as the store keys
 * it, else what is wrong (a table of the 0.1 layout, keyed by `id` alone, refuses every request
 * of this store). Throws what DescribeTable throws (a missing table is ResourceNotFoundException).
 */
export async function describeSessionTable(client: DynamoDBDocumentClient, tableName: string): Promise<string> {
  const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (table?.TableStatus !== 'ACTIVE') return `table is ${table?.TableStatus ?? 'not described'}`;
  const keys = (table.KeySchema ?? []).map((key) => `${key.AttributeName} ${key.KeyType}`).join(', ');
  if (keys !== EXPECTED_KEYS) return `table is keyed by ${keys || 'nothing'}, not ${EXPECTED_KEYS} (the 0.2 layout)`;
  return 'ready';
}
