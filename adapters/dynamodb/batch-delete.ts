import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StoreUnavailableError } from '../../core/index.js';
import { toStoreError } from './store-error.js';

/** BatchWriteItem takes at most 25 requests. */
export const BATCH_WRITE_MAX = 25;

/** How often a chunk's unprocessed deletes are sent again, and the first wait between tries. */
const RETRIES = 8;
const FIRST_BACKOFF_MS = 25;
const MAX_BACKOFF_MS = 1000;

type DeleteRequest = { DeleteRequest: { Key: Record<string, unknown> } };

/**
 * Deletes items by id, 25 to a BatchWriteItem. DynamoDB may leave part of a batch undone
 * (`UnprocessedItems`, under throttling); those are sent again with exponential backoff and
 * jitter, and if they are still undone after that the store is unavailable.
 */
export async function deleteIdsInBatches(
  client: DynamoDBDocumentClient,
  tableName: string,
  ids: readonly string[],
): Promise<void> {
  for (let start = 0; start < ids.length; start += BATCH_WRITE_MAX) {
    let pending: DeleteRequest[] = ids
      .slice(start, start + BATCH_WRITE_MAX)
      .map((id) => ({ DeleteRequest: { Key: { id } } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > RETRIES) {
        throw new StoreUnavailableError(`DynamoDB BatchWriteItem left ${pending.length} deletes unprocessed`);
      }
      if (attempt > 0) await backoff(attempt);
      let unprocessed;
      try {
        const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        unprocessed = result.UnprocessedItems?.[tableName];
      } catch (error) {
        throw toStoreError(error, 'BatchWriteItem');
      }
      pending = (unprocessed ?? []).filter((request): request is DeleteRequest => request.DeleteRequest !== undefined);
    }
  }
}

function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (attempt - 1));
  // Full jitter: concurrent callers retrying in step would throttle each other again.
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
