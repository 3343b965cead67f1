import { DeleteCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deleteAliasOf } from './delete-each-session.js';
import type { RecordEvents } from './event-items.js';
import { expiredEvent } from './item-events.js';
import { itemKey } from './session-item.js';
import { conditionalRequest, isConditionFailed, request } from './table-request.js';

/** Items a Scan page reads (before its filter), at most; DynamoDB also stops at 1 MB. */
const SCAN_PAGE = 1_000;

/** Claims in flight at once (as `deleteEachSession` deletes). */
const CLAIM_PARALLELISM = 10;

/**
 * The sweep of expired sessions. The table has no expiry index (see table-layout.ts: an index
 * would double every write and could not follow a slide that the store computes in place), so
 * it Scans: eventually consistent (a stale candidate only fails its claim), filtered to session
 * items whose deadline passed, three attributes each. Each candidate is claimed by a DeleteItem
 * conditioned on the version scanned and the deadline having passed, `ReturnValues: ALL_OLD`:
 * of every sweeper, and of every other write that removes or takes over an expired item, exactly
 * one request removes it, and only that one records its `session.expired`.
 *
 * A store instance goes on from where its last sweep stopped, so calls one after another walk
 * the table once between them; a sweep that started mid-table and reaches its end goes on from
 * the start, to the end again at most.
 */
export class ExpirySweep {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #record: RecordEvents;
  /** Where the last sweep stopped (`undefined`: the start of the table). */
  #position: Record<string, unknown> | undefined;

  constructor(client: DynamoDBDocumentClient, tableName: string, record: RecordEvents) {
    this.#client = client;
    this.#tableName = tableName;
    this.#record = record;
  }

  /** Claims up to `budget` expired sessions and records each one's expiry; answers how many this call claimed. */
  async sweep(now: number, budget: number): Promise<number> {
    let attempted = 0;
    let claimed = 0;
    let start = this.#position;
    let wrapped = start === undefined;
    while (attempted < budget) {
      const page = await request('Scan', () =>
        this.#client.send(
          new ScanCommand({
            TableName: this.#tableName,
            Limit: SCAN_PAGE,
            FilterExpression: '#expiresAtMs <= :now AND attribute_not_exists(#aliasOf) AND attribute_not_exists(#pendingFrom)',
            ProjectionExpression: '#id, #version, #expiresAtMs',
            ExpressionAttributeNames: { '#id': 'id', '#version': 'version', '#expiresAtMs': 'expiresAtMs', '#aliasOf': 'aliasOf', '#pendingFrom': 'pendingFrom' },
            ExpressionAttributeValues: { ':now': now },
            ...(start && { ExclusiveStartKey: start }),
          }),
        ),
      );
      const candidates = page.Items ?? [];
      const taken = candidates.slice(0, budget - attempted);
      attempted += taken.length;
      claimed += await this.#claimEach(taken, now);
      // Candidates left on this page: the next sweep reads it again.
      if (taken.length < candidates.length) {
        this.#position = start;
        break;
      }
      start = page.LastEvaluatedKey;
      if (start === undefined) {
        if (wrapped) break;
        wrapped = true;
      }
      this.#position = start;
    }
    return claimed;
  }

  /**
   * Claims each candidate (10 in flight), removes the aliases of those won, then records their
   * expiries all at once (one counter update per event partition, not one per session).
   */
  async #claimEach(candidates: readonly Record<string, unknown>[], now: number): Promise<number> {
    const pending = candidates[Symbol.iterator]();
    const won: Record<string, unknown>[] = [];
    const worker = async (): Promise<void> => {
      for (let next = pending.next(); !next.done; next = pending.next()) {
        const removed = await this.#claim(next.value, now);
        if (removed !== undefined) won.push(removed);
      }
    };
    await Promise.all(Array.from({ length: CLAIM_PARALLELISM }, worker));
    await Promise.all(won.map((removed) => deleteAliasOf(this.#client, this.#tableName, removed)));
    await this.#record(won.map((removed) => expiredEvent(removed, now)), now);
    return won.length;
  }

  /** Removes the expired session `candidate` names if it is still expired at the version scanned; its image when this call removed it. */
  async #claim(candidate: Record<string, unknown>, now: number): Promise<Record<string, unknown> | undefined> {
    const answer = await conditionalRequest('DeleteItem', () =>
      this.#client.send(
        new DeleteCommand({
          TableName: this.#tableName,
          Key: itemKey(String(candidate['id'])),
          ConditionExpression: '#version = :version AND #expiresAtMs <= :now AND attribute_not_exists(#aliasOf) AND attribute_not_exists(#pendingFrom)',
          ExpressionAttributeNames: { '#version': 'version', '#expiresAtMs': 'expiresAtMs', '#aliasOf': 'aliasOf', '#pendingFrom': 'pendingFrom' },
          ExpressionAttributeValues: { ':version': candidate['version'], ':now': now },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    return isConditionFailed(answer) ? undefined : answer.Attributes;
  }
}
