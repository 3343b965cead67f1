import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { userHomeItems } from './user-home-items.js';
import { userHomeQuery } from './user-home-query.js';

/**
 * The ids of every session of a user, live or expired but not yet reaped: the Query of the
 * user's home (`userHomeQuery`), fetching only the key.
 */
export async function userSessionIds(
  client: DynamoDBDocumentClient,
  tableName: string,
  userId: string,
  home: string,
): Promise<string[]> {
  const items = await userHomeItems(client, userHomeQuery(tableName, home, userId), ['id']);
  return items.map((item) => String(item['id']));
}
