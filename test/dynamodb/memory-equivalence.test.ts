import { randomBytes } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page, PageRequest, Session, SessionStore } from '../../core/index.js';
import { createSessionTable, DynamoSessionStore } from '../../adapters/dynamodb/index.js';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { closeDynamoDocumentClient } from '../../adapters/dynamodb/create-dynamo-document-client.js';
import { createTestClient, startDynalite, uniqueTableName, type DynaliteServer } from '../support/dynalite-server.js';
import { T0 } from '../support/session-fixtures.js';

let server: DynaliteServer;
let client: DynamoDBDocumentClient;

beforeAll(async () => {
  server = await startDynalite();
  client = createTestClient(server.endpoint);
});

afterAll(async () => {
  closeDynamoDocumentClient(client);
  await server.close();
});

/** One call on the port, with small discrete times so the `expiresAt === now` edge is hit. */
type Step =
  | { kind: 'create'; user: number; ttl: number }
  | { kind: 'get'; pick: number }
  | { kind: 'update'; pick: number; versionDelta: number | null; ttl: number; withData: boolean; slide: boolean }
  | { kind: 'delete'; pick: number }
  | { kind: 'list'; limit: number }
  | { kind: 'listByUser'; user: number; limit: number }
  | { kind: 'deleteByUser'; user: number }
  | { kind: 'advance'; by: number };

const pick = fc.nat(20);
const NEVER_WRITTEN = 'AAAA.AAAAAAAAAAAAAAAAAAAAAA';
/** A fresh session handle (`<4>.<22>` base64url). */
const newHandle = (): string => `${randomBytes(3).toString('base64url')}.${randomBytes(17).toString('base64url').slice(0, 22)}`;
const ttl = fc.integer({ min: 1, max: 4 });
const user = fc.nat(3);
const versionDelta = fc.constantFrom(-1, 0, 0, 0, 1, null);
const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('create' as const), user, ttl }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('advance' as const), by: fc.nat(3) }), weight: 3 },
  fc.record({ kind: fc.constant('get' as const), pick }),
  {
    arbitrary: fc.record({ kind: fc.constant('update' as const), pick, versionDelta, ttl, withData: fc.boolean(), slide: fc.boolean() }),
    weight: 2,
  },
  fc.record({ kind: fc.constant('delete' as const), pick }),
  fc.record({ kind: fc.constant('list' as const), limit: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('listByUser' as const), user, limit: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('deleteByUser' as const), user }),
);

/** Every session of a listing, paged to the end, in id order (the stores order pages differently). */
async function pageAll(read: (page: PageRequest) => Promise<Page>, limit: number): Promise<Session[]> {
  const sessions: Session[] = [];
  let cursor: string | undefined;
  do {
    const page = await read({ limit, cursor });
    sessions.push(...page.sessions);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return sessions.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Runs one step on a store; the answer must be the same for both. */
async function run(store: SessionStore, s: Step, ids: readonly string[], now: number, reference: MemorySessionStore): Promise<unknown> {
  const users = ['u0', 'u1', 'u2'];
  // Mostly a session written earlier; now and then (pick 20) one never written.
  const id = 'pick' in s ? ((s.pick < 20 ? ids[s.pick % ids.length] : undefined) ?? NEVER_WRITTEN) : '';
  // The reference says what the caller would have read: the writes are built from it.
  const current = id ? await reference.get(id, now) : undefined;
  const version = (current?.version ?? 1) + ('versionDelta' in s ? (s.versionDelta ?? 0) : 0);
  switch (s.kind) {
    case 'create':
      throw new Error('create is run by the caller, which picks the id');
    case 'get':
      return store.get(id, now);
    case 'update':
      return store.update(
        id,
        {
          ...(s.withData && { data: JSON.parse(`{"__proto__":{"x":1},"at":${now}}`) }),
          ...(s.versionDelta !== null && { expectedVersion: version }),
          slide: s.slide,
          absoluteTimeout: s.ttl * 3,
        },
        now,
      );
    case 'delete':
      return store.delete(id, now);
    case 'list':
      return pageAll((page) => store.list(page, now), s.limit);
    case 'listByUser':
      return pageAll((page) => store.listByUser(users[s.user] ?? 'u0', page, now), s.limit);
    case 'deleteByUser':
      return store.deleteByUser(users[s.user] ?? 'u0', now);
    case 'advance':
      return undefined;
  }
}

it('answers every call exactly as the memory store does, given the same now', { timeout: 120_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40, size: 'large' }), async (steps) => {
      const tableName = uniqueTableName();
      await createSessionTable(client, tableName);
      const dynamo = new DynamoSessionStore(client, tableName);
      const memory = new MemorySessionStore();
      // Reads for building writes come from a second reference, so they do not disturb `memory`.
      const reference = new MemorySessionStore();
      const ids: string[] = [];
      let now = T0;
      for (const s of steps) {
        if (s.kind === 'advance') {
          now += s.by;
          continue;
        }
        if (s.kind === 'create') {
          // Ids are fresh, as a CSPRNG makes them: both stores must accept them.
          const session: Session = {
            id: newHandle(),
            // User 3 stands for anonymous sessions, in no user listing.
            ...(s.user < 3 && { userId: ['u0', 'u1', 'u2'][s.user] ?? 'u0' }),
            data: JSON.parse('{"__proto__":{"polluted":1},"n":1}'),
            createdAt: now,
            updatedAt: now,
            expiresAt: now + s.ttl,
            version: 1,
            ttl: s.ttl,
          };
          ids.push(session.id);
          expect(await dynamo.create(session, now)).toBe(await memory.create(session, now));
          await reference.create(session, now);
          continue;
        }
        const expected = await run(memory, s, ids, now, reference);
        const actual = await run(dynamo, s, ids, now, reference);
        expect(actual, `${JSON.stringify(s)} at ${now - T0}`).toEqual(expected);
        await run(reference, s, ids, now, reference);
      }
    }),
    { numRuns: 25 },
  );
});
