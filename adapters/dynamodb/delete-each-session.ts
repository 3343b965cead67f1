import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SessionEventReason } from '../../core/index.js';
import type { RecordEvents } from './event-items.js';
import { endedEvent } from './item-events.js';
import { itemKey } from './session-item.js';
import { conditionalRequest, isConditionFailed } from './table-request.js';

/** How a removal is recorded: the log's `record`, and the reason of a live session's `session.deleted`. */
export interface Removal {
  readonly record: RecordEvents;
  readonly reason: SessionEventReason;
}

/**
 * How many DeleteItem requests one call keeps in flight. All of one user's sessions share a
 * partition (about 1,000 writes a second on AWS): ten in flight at DynamoDB's few milliseconds
 * each stays near that, and the SDK's retries absorb the throttling of a burst.
 */
export const DELETE_PARALLELISM = 10;

/**
 * Deletes each of `ids` that is still `userId`'s with its own DeleteItem and returns how many of
 * them were live at `now`.
 *
 * One request per item, not BatchWriteItem, because a batch cannot say what it deleted: each
 * DeleteItem returns the item it removed (`ALL_OLD`), atomically, so of two concurrent callers
 * exactly one sees each session, and their counts add up to the sessions there were. The delete
 * is conditioned only on the owner (a handle freed meanwhile may hold someone else's session now),
 * so expired items waiting for TTL go too (uncounted), as `delete` does; a
 * session's alias item goes right after it (see {@link deleteAliasOf}). Each removal is recorded
 * by `removal`: `session.deleted` for its reason, `session.expired` for an item already expired.
 *
 * On the first failure no further delete starts; those in flight finish, then it throws. What
 * was deleted stays deleted, and calling again finishes the job.
 */
export async function deleteEachSession(
  client: DynamoDBDocumentClient,
  tableName: string,
  ids: Iterable<string>,
  userId: string,
  now: number,
  removal: Removal,
): Promise<number> {
  // One iterator shared by the workers: each id is taken by exactly one of them.
  const pending = ids[Symbol.iterator]();
  let live = 0;
  let failure: { readonly error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    for (let next = pending.next(); !next.done && failure === undefined; next = pending.next()) {
      try {
        if (await deleteUserSession(client, tableName, next.value, userId, now, removal)) live++;
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: DELETE_PARALLELISM }, worker));
  if (failure !== undefined) throw failure.error;
  return live;
}

/**
 * Deletes the session at `id` if it is `userId`'s (one DeleteItem, then its alias item, then its
 * event as `removal` says): true when it was live at `now`, so of two callers exactly one is
 * told it removed a live session, and only that one records its end.
 */
export async function deleteUserSession(
  client: DynamoDBDocumentClient,
  tableName: string,
  id: string,
  userId: string,
  now: number,
  removal: Removal,
): Promise<boolean> {
  const result = await conditionalRequest('DeleteItem', () =>
    client.send(
      new DeleteCommand({
        TableName: tableName,
        Key: itemKey(id),
        ConditionExpression: '#userId = :userId',
        ExpressionAttributeNames: { '#userId': 'userId' },
        ExpressionAttributeValues: { ':userId': userId },
        ReturnValues: 'ALL_OLD',
      }),
    ),
  );
  if (isConditionFailed(result)) return false;
  if (result.Attributes === undefined) return false;
  await deleteAliasOf(client, tableName, result.Attributes);
  await removal.record([endedEvent(result.Attributes, now, removal.reason)], now);
  return Number(result.Attributes['expiresAtMs']) > now;
}

/**
 * Removes the alias item of a session item just deleted, if it still names that session: a
 * second request, after the session's, so a crash between leaves only an alias naming nothing
 * (which `resolve` ignores and a `create` may take once its deadline passed; TTL reaps it).
 */
export async function deleteAliasOf(
  client: DynamoDBDocumentClient,
  tableName: string,
  removed: Record<string, unknown>,
): Promise<void> {
  const alias = removed['alias'];
  if (typeof alias !== 'string') return;
  await conditionalRequest('DeleteItem', () =>
    client.send(
      new DeleteCommand({
        TableName: tableName,
        Key: itemKey(alias),
        ConditionExpression: '#aliasOf = :handle',
        ExpressionAttributeNames: { '#aliasOf': 'aliasOf' },
        ExpressionAttributeValues: { ':handle': removed['id'] },
      }),
    ),
  );
}
