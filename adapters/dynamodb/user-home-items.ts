import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { request } from './table-request.js';

/**
 * Every item a Query of a user's home (`userHomeQuery`) matches, page by page (1 MB each), with
 * only `attributes` fetched.
 */
export async function userHomeItems(client: DynamoDBDocumentClient, query: QueryCommandInput, attributes: readonly string[]): Promise<Record<string, unknown>[]> {
  const names = Object.fromEntries(attributes.map((name) => [`#${name}`, name]));
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await request('Query', () =>
      client.send(
        new QueryCommand({
          ...query,
          ProjectionExpression: Object.keys(names).join(', '),
          ExpressionAttributeNames: { ...query.ExpressionAttributeNames, ...names },
          ...(start && { ExclusiveStartKey: start }),
        }),
      ),
    );
    items.push(...(result.Items ?? []));
    start = result.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}
