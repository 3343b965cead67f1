import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { digestOf, type Sha256 } from '../../core/index.js';
import { conditionalRequest, isConditionFailed } from './table-request.js';

/**
 * How long a lease holds (ms of the core's clock). A create holding it sends 3 or 4 requests of
 * a few milliseconds each; one paused past it is repaired after (see docs/dynamodb-layout.md,
 * "Session cap"), and one that crashed blocks the user's capped writes at most this long.
 */
export const LEASE_MS = 5_000;

/**
 * How often a write waiting on a held lease tries again, with full jitter on a backoff from
 * 2 ms doubling to at most 128 ms: about 13 s of waiting in all, enough for 30 creates of one
 * user queued on a loaded 2-core machine (about 8 s there, each holding ~250 ms). The caller's
 * `now` does not move meanwhile, so a lease left by a crash is not taken over within one call:
 * the call fails (503) and a later one, with a later `now`, takes it.
 */
const LEASE_ATTEMPTS = 200;
const BACKOFF_MAX_MS = 128;

/** Lease ids: `<home>~<43 base64url>`. `~` is no base64url character, so no handle is one, and it sorts after every handle of the home. */
const LEASE_ID = /^[A-Za-z0-9_-]{4}~[A-Za-z0-9_-]{43}$/;

/**
 * The lease on one user's capped writes: an item in the user's home keyed by a hash of the
 * userId (a home is shared by other users, each with a lease of their own). It has no `userId`,
 * `expiresAtMs` or `aliasOf`, so no listing, count, `get`, `resolve` or `deleteByUser` filter
 * takes it for a session; `expiresAtSeconds` (the table's TTL) reaps one a crash left.
 */
export interface UserLease {
  readonly home: string;
  readonly id: string;
}

/** The lease of `userId`, whose sessions live in `home`. */
export async function userLease(home: string, userId: string, sha256: Sha256): Promise<UserLease> {
  return { home, id: `${home}~${await digestOf(`lease:${userId}`, sha256)}` };
}

/** True for a lease item's id (a paging position may be one: see page-cursor.ts). */
export function isLeaseId(id: string): boolean {
  return LEASE_ID.test(id);
}

/**
 * Takes the lease for `owner` until `now + LEASE_MS`: one conditional PutItem, over no lease or
 * an expired one, retried while another holds it. False when it stayed held for every attempt.
 */
export async function takeLease(
  client: DynamoDBDocumentClient,
  tableName: string,
  lease: UserLease,
  owner: string,
  now: number,
): Promise<boolean> {
  const until = now + LEASE_MS;
  for (let attempt = 0; attempt < LEASE_ATTEMPTS; attempt++) {
    const answer = await conditionalRequest('PutItem', () =>
      client.send(
        new PutCommand({
          TableName: tableName,
          Item: { home: lease.home, id: lease.id, leaseOwner: owner, leaseUntilMs: until, expiresAtSeconds: Math.ceil(until / 1000) },
          ConditionExpression: 'attribute_not_exists(#id) OR #leaseUntilMs <= :now',
          ExpressionAttributeNames: { '#id': 'id', '#leaseUntilMs': 'leaseUntilMs' },
          ExpressionAttributeValues: { ':now': now },
        }),
      ),
    );
    if (!isConditionFailed(answer)) return true;
    const delay = Math.random() * Math.min(BACKOFF_MAX_MS, 2 ** (attempt + 1));
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  return false;
}

/**
 * Gives the lease back: one DeleteItem conditioned on `owner`. False when it was no longer
 * ours: another write took it after our deadline passed, so its view may have missed ours.
 */
export async function releaseLease(client: DynamoDBDocumentClient, tableName: string, lease: UserLease, owner: string): Promise<boolean> {
  const answer = await conditionalRequest('DeleteItem', () =>
    client.send(
      new DeleteCommand({
        TableName: tableName,
        Key: { home: lease.home, id: lease.id },
        ConditionExpression: '#leaseOwner = :owner',
        ExpressionAttributeNames: { '#leaseOwner': 'leaseOwner' },
        ExpressionAttributeValues: { ':owner': owner },
      }),
    ),
  );
  return !isConditionFailed(answer);
}

/** A new owner id for one holding of a lease. */
export function leaseOwner(): string {
  return globalThis.crypto.randomUUID();
}
