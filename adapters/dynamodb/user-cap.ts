import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { evictionsFor, StoreUnavailableError, userHome, type Ranked, type SessionLimit, type Sha256 } from '../../core/index.js';
import { deleteUserSession } from './delete-each-session.js';
import type { RecordEvents } from './event-items.js';
import type { LocalTurns } from './local-turns.js';
import { LEASE_MS, leaseOwner, releaseLease, takeLease, userLease, type UserLease } from './user-lease.js';
import { userHomeItems } from './user-home-items.js';
import { userHomeQuery } from './user-home-query.js';

/** What a capped write did under the lease: its answer, whether it wrote its session, and whom it evicts. */
export interface CappedStep<T> {
  readonly outcome: T;
  /** True when the write put its session: only then can it have taken the user past the cap. */
  readonly wrote: boolean;
  /** Handles to evict, in eviction order (deleted after the write, still under the lease). */
  readonly evict: readonly string[];
}

/** What a capped write ended with. */
export interface CappedResult<T> {
  readonly outcome: T;
  /** The handles it removed, in eviction order (a repair's after the write's own). */
  readonly evicted: readonly string[];
  /** True when a repair removed the write's own session again (see {@link CapRepair}). */
  readonly removedOwn: boolean;
}

/**
 * What a repair does with the writer's own session when the user is over the cap under
 * `reject`: a create removes it (its answer becomes `refused`); a rotation, whose old session
 * is already gone, keeps it.
 */
export type CapRepair = 'remove-own' | 'keep-own';

/** Whose cap a write is under: the user, the write's own session, the limit, and how a late write repairs. */
export interface CapTarget {
  readonly userId: string;
  readonly ownId: string;
  readonly limit: SessionLimit;
  readonly repair: CapRepair;
}

/**
 * How many times a repair tries to finish under a lease of its own. Each round that finds its
 * lease taken again starts from a clock one lease later (see {@link applyCap}).
 */
const REPAIR_ROUNDS = 4;

/**
 * The per-user session cap on a table with no transactions (dynalite has none): a user's capped
 * writes take turns under the user's lease (see user-lease.ts); under it, a strongly consistent
 * Query of the user's home reads the live sessions, `write` decides by the core's
 * `evictionsFor` and writes, and the sessions it names are deleted (conditioned on the user).
 *
 * A write paused past its lease's deadline may let another write in, whose Query missed it: the
 * release (conditioned on the owner) then finds the lease gone, and the late writer repairs, under
 * a new lease (so after whoever holds it now has finished), by Querying again: under an evict
 * policy it evicts the user's other sessions beyond `max` (its own stays, as a create's does);
 * under `reject` it removes its own session if the user is over `max` (or keeps it: `repair`).
 * Repairs are serialized by the lease, so each sees the ones before it: the user ends at most at
 * `max` once the writes are over, unless the late writer dies before its repair.
 */
export async function applyCap<T>(
  client: DynamoDBDocumentClient,
  tableName: string,
  sha256: Sha256,
  turns: LocalTurns,
  record: RecordEvents,
  target: CapTarget,
  now: number,
  write: (live: readonly Ranked[]) => Promise<CappedStep<T>>,
): Promise<CappedResult<T>> {
  // One at a time per user in this process first (see LocalTurns), then the lease across processes.
  return turns.run(target.userId, () => underLease(client, tableName, sha256, record, target, now, write));
}

async function underLease<T>(
  client: DynamoDBDocumentClient,
  tableName: string,
  sha256: Sha256,
  record: RecordEvents,
  target: CapTarget,
  now: number,
  write: (live: readonly Ranked[]) => Promise<CappedStep<T>>,
): Promise<CappedResult<T>> {
  const home = await userHome(target.userId, sha256);
  const lease = await userLease(home, target.userId, sha256);
  const owner = leaseOwner();
  if (!(await takeLease(client, tableName, lease, owner, now))) {
    throw new StoreUnavailableError(`table ${tableName}: another write held a user's session cap throughout`);
  }
  let step: CappedStep<T>;
  let evicted: string[];
  try {
    step = await write(await liveSessions(client, tableName, home, target.userId, now));
    evicted = await evictEach(client, tableName, record, step.evict, target.userId, now);
  } catch (error) {
    await releaseLease(client, tableName, lease, owner).catch(() => undefined);
    throw error;
  }
  if ((await releaseLease(client, tableName, lease, owner)) || !step.wrote) return { outcome: step.outcome, evicted, removedOwn: false };
  const repaired = await repairCap(client, tableName, record, { ...target, home, lease }, now);
  return { outcome: step.outcome, evicted: [...evicted, ...repaired.evicted], removedOwn: repaired.removedOwn };
}

/**
 * The repair of a write whose lease was taken over (see {@link applyCap}). Whoever took it had a
 * clock at or past our deadline, `now + LEASE_MS`, so the repair's lease starts from there (from
 * `now` it would be expired to everyone at once); liveness is still judged at `now`.
 */
async function repairCap(
  client: DynamoDBDocumentClient,
  tableName: string,
  record: RecordEvents,
  target: CapTarget & { readonly home: string; readonly lease: UserLease },
  now: number,
): Promise<{ evicted: string[]; removedOwn: boolean }> {
  const evicted: string[] = [];
  for (let round = 1; round <= REPAIR_ROUNDS; round++) {
    const owner = leaseOwner();
    // Held throughout (its holder crashed): the user stays over the cap until a later capped write.
    if (!(await takeLease(client, tableName, target.lease, owner, now + round * LEASE_MS))) break;
    let removedOwn = false;
    try {
      const live = await liveSessions(client, tableName, target.home, target.userId, now);
      if (live.some((session) => session.id === target.ownId)) {
        const victims = evictionsFor(live.filter((session) => session.id !== target.ownId), target.limit);
        if (victims === 'refused') {
          removedOwn = target.repair === 'remove-own' && (await evictEach(client, tableName, record, [target.ownId], target.userId, now)).length > 0;
        } else {
          evicted.push(...(await evictEach(client, tableName, record, victims.map((session) => session.id), target.userId, now)));
        }
      }
    } catch (error) {
      await releaseLease(client, tableName, target.lease, owner).catch(() => undefined);
      throw error;
    }
    if ((await releaseLease(client, tableName, target.lease, owner)) || removedOwn) return { evicted, removedOwn };
  }
  return { evicted, removedOwn: false };
}

/**
 * The user's live sessions as eviction ranks them: the Query of the user's home (strongly
 * consistent, live and confirmed only: see `userHomeQuery`), page by page, three attributes each.
 */
async function liveSessions(client: DynamoDBDocumentClient, tableName: string, home: string, userId: string, now: number): Promise<Ranked[]> {
  const items = await userHomeItems(client, userHomeQuery(tableName, home, userId, now), ['id', 'createdAt', 'lastActiveAt']);
  return items.map((item) => ({ id: String(item['id']), createdAt: Number(item['createdAt']), lastActiveAt: Number(item['lastActiveAt']) }));
}

/**
 * Deletes each of `ids` that is still `userId`'s, with its alias (see `deleteUserSession`), in
 * parallel; answers those that were live, in the order given: each one by the only caller whose
 * delete removed it, so two writers never both report (nor record) one eviction.
 */
async function evictEach(client: DynamoDBDocumentClient, tableName: string, record: RecordEvents, ids: readonly string[], userId: string, now: number): Promise<string[]> {
  const removed = await Promise.all(ids.map((id) => deleteUserSession(client, tableName, id, userId, now, { record, reason: 'evicted' })));
  return ids.filter((_, i) => removed[i]);
}
