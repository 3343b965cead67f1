import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sessionTableLayout } from './table-layout.js';

/**
 * Whether the session table can serve: `ready` when it and its user index are ACTIVE, else
 * what is wrong. Throws what DescribeTable throws (a missing table is ResourceNotFoundException).
 */
export async function describeSessionTable(client: DynamoDBDocumentClient, tableName: string): Promise<string> {
  const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (table?.TableStatus !== 'ACTIVE') return `table is ${table?.TableStatus ?? 'not described'}`;
  const indexName = sessionTableLayout.userIndex.IndexName;
  const index = table.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexName === indexName);
  if (index === undefined) return `index ${indexName} is missing`;
  // A new index is CREATING while DynamoDB backfills it; Query on it fails until then.
  if (index.IndexStatus !== undefined && index.IndexStatus !== 'ACTIVE') return `index ${indexName} is ${index.IndexStatus}`;
  return 'ready';
}
