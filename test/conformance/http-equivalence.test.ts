import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { createSessionService, SessionError, type SessionLimitPolicy, type SessionService, type SessionStore } from '../../core/index.js';
import { allPages, pageQuery } from '../support/all-pages.js';
import { startTestServer, type TestResponse, type TestServer } from '../support/http-test-server.js';
import { openDynamoTestStore } from '../support/dynamo-test-store.js';
import { ManualClock } from '../support/manual-clock.js';
import { openRedisTestStore, type RedisTestStore } from '../support/redis-test-store.js';

// The same random sequence of HTTP requests goes to the service composed with each store; every
// answer, with ids and times normalised, must be the same. Through the API the stores are
// indistinguishable.

type Step =
  // user -1: anonymous; token: issued by the service, the caller's own, or one already taken.
  // context: the device context, authenticated `authAgo` ms before the create.
  | { kind: 'create'; user: number; ttl: number; data: Record<string, unknown>; token: 'issued' | 'caller' | 'taken'; context: Context | null }
  | { kind: 'current'; ref: number; token: 'right' | 'wrong' | 'none'; maxAuthAge: number | null }
  | { kind: 'get'; ref: number; maxAuthAge: number | null }
  | { kind: 'refresh' | 'delete'; ref: number }
  | { kind: 'put' | 'patch'; ref: number; data: Record<string, unknown>; ifMatch: 'none' | 'right' | 'wrong' }
  // user -1: no userId (keep the session's own); grace in seconds.
  | { kind: 'rotate'; ref: number; user: number; grace: number; ifMatch: 'none' | 'right' | 'wrong' }
  | { kind: 'listUser'; user: number; limit: number }
  | { kind: 'deleteUser'; user: number; except: number | null }
  | { kind: 'countUser'; user: number }
  | { kind: 'listAll'; limit: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'toExpiry'; ref: number }
  | { kind: 'bad'; path: string };

interface Context {
  readonly ip: string;
  readonly device: string;
  readonly authAgo: number | null;
  readonly authMethods: string[];
}
const context: fc.Arbitrary<Context | null> = fc.option(
  fc.record({
    ip: fc.constantFrom('2001:DB8::0:1', '203.0.113.7', '::ffff:c000:0201'),
    device: fc.constantFrom('phone', 'Ada\u2019s laptop'),
    authAgo: fc.option(fc.integer({ min: 0, max: 4000 })),
    authMethods: fc.shuffledSubarray(['password', 'webauthn', 'otp'], { minLength: 1 }),
  }),
);
// Seconds a read asks the authentication to be within: around the ages created, so both answers come up.
const maxAuthAge = fc.option(fc.integer({ min: 0, max: 6 }));

const data = fc.dictionary(fc.constantFrom('a', 'b', '__proto__', 'ü'), fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(null), fc.string({ maxLength: 3 })), {
  maxKeys: 3,
});
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      user: fc.integer({ min: -1, max: 2 }),
      ttl: fc.integer({ min: 1, max: 5 }),
      data,
      token: fc.constantFrom('issued' as const, 'issued' as const, 'caller' as const, 'taken' as const),
      context,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('current' as const), ref: fc.nat(4), token: fc.constantFrom('right' as const, 'wrong' as const, 'none' as const), maxAuthAge }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('get' as const), ref: fc.nat(4), maxAuthAge }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('refresh' as const, 'delete' as const), ref: fc.nat(4) }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constantFrom('put' as const, 'patch' as const), ref: fc.nat(4), data, ifMatch: fc.constantFrom('none' as const, 'right' as const, 'wrong' as const) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('rotate' as const),
      ref: fc.nat(4),
      user: fc.integer({ min: -1, max: 2 }),
      grace: fc.constantFrom(0, 0, 2, 61),
      ifMatch: fc.constantFrom('none' as const, 'right' as const, 'wrong' as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('listUser' as const), user: fc.nat(2), limit: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteUser' as const), user: fc.nat(2), except: fc.option(fc.nat(4)) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('countUser' as const), user: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('listAll' as const), limit: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 6 }).map((s) => s * 1000) }) },
  // Expiry boundaries are where stores go wrong: land on a session's expiresAt exactly.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('toExpiry' as const), ref: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bad' as const), path: fc.constantFrom('/sessions/nope', '/sessions?limit=0', '/sessions/user/x?cursor=%%', '/nothing') }) },
);

interface Target {
  readonly name: string;
  readonly api: TestServer;
  readonly ids: string[];
  /** The token of each session in `ids`, same index. */
  readonly tokens: string[];
  readonly versions: Map<string, number>;
}

/** Replaces what legitimately differs between stores (ids, absolute times) with stable tokens. */
function normalise(target: Target, response: TestResponse, startedAt: number): unknown {
  const text = JSON.stringify(response.body ?? null).replace(/"(\d{4}-\d{2}-\d{2}T[^"]+Z)"/g, (_, iso: string) => `"t+${Date.parse(iso) - startedAt}"`);
  // Issued tokens differ between stores (they are random); caller tokens are the same anyway.
  const withTokens = target.tokens.reduce((acc, token, index) => acc.split(token).join(`$${index}`), text);
  const withIds = target.ids.reduce((acc, id, index) => acc.split(id).join(`#${index}`), withTokens);
  return { status: response.status, body: JSON.parse(withIds) };
}

async function perform(target: Target, s: Step, run: number, startedAt: number): Promise<unknown> {
  // Names where one is a prefix of another, to catch stores that match users by prefix.
  const user = (n: number) => `equivalence-${run}-${['a', 'ab', 'a:b'][n] ?? n}`;
  const idOf = (ref: number) => target.ids[ref] ?? 'AAAA.AAAAAAAAAAAAAAAAAAAAAA';
  // Caller tokens are unique per run and step count, so every target is sent the same one.
  const callerToken = (n: number) => `equivalence-token-${run}-${n}`.padEnd(24, '_');
  const api = target.api;
  switch (s.kind) {
    case 'create': {
      const token = s.token === 'caller' ? callerToken(target.ids.length) : s.token === 'taken' ? target.tokens.at(-1) : undefined;
      const { authAgo, ...given } = s.context ?? { authAgo: null };
      const json = {
        ...(s.user < 0 ? {} : { userId: user(s.user) }),
        ...(token === undefined ? {} : { token }),
        ttlSeconds: s.ttl,
        data: s.data,
        ...given,
        ...(authAgo === null ? {} : { authenticatedAt: new Date(api.clock.now() - authAgo).toISOString() }),
      };
      const response = await api.request('POST', '/sessions', { json });
      if (response.status === 201) {
        target.ids.push(response.body.id);
        target.tokens.push(response.body.token);
      }
      return normalise(target, response, startedAt);
    }
    case 'current': {
      const right = target.tokens[s.ref] ?? callerToken(-1);
      const sent = s.token === 'right' ? right : s.token === 'wrong' ? `${right.slice(0, -1)}${right.endsWith('A') ? 'B' : 'A'}` : undefined;
      const query = s.maxAuthAge === null ? '' : `?maxAuthAgeSeconds=${s.maxAuthAge}`;
      return normalise(target, await api.request('GET', `/sessions/current${query}`, sent === undefined ? {} : { headers: { 'session-token': sent } }), startedAt);
    }
    case 'get':
      return normalise(target, await api.request('GET', `/sessions/${idOf(s.ref)}${s.maxAuthAge === null ? '' : `?maxAuthAgeSeconds=${s.maxAuthAge}`}`), startedAt);
    case 'refresh':
      return normalise(target, await api.request('POST', `/sessions/${idOf(s.ref)}/refresh`), startedAt);
    case 'delete':
      return normalise(target, await api.request('DELETE', `/sessions/${idOf(s.ref)}`), startedAt);
    case 'put':
    case 'patch': {
      const current = await api.request('GET', `/sessions/${idOf(s.ref)}`);
      const version = current.status === 200 ? Number(current.body.version) : 1;
      const headers: Record<string, string> =
        s.ifMatch === 'none' ? {} : { 'if-match': `"${s.ifMatch === 'right' ? version : version + 1}"` };
      const method = s.kind === 'put' ? 'PUT' : 'PATCH';
      return normalise(target, await api.request(method, `/sessions/${idOf(s.ref)}`, { json: { data: s.data }, headers }), startedAt);
    }
    case 'rotate': {
      const current = await api.request('GET', `/sessions/${idOf(s.ref)}`);
      const version = current.status === 200 ? Number(current.body.version) : 1;
      const headers: Record<string, string> =
        s.ifMatch === 'none' ? {} : { 'if-match': `"${s.ifMatch === 'right' ? version : version + 1}"` };
      const json = { ...(s.user < 0 ? {} : { userId: user(s.user) }), graceSeconds: s.grace };
      const response = await api.request('POST', `/sessions/${idOf(s.ref)}/rotate`, { json, headers });
      if (response.status === 200) {
        // The new session is a new entry, so later steps reach both the old handle and the new one.
        target.ids.push(response.body.id);
        target.tokens.push(response.body.token);
      }
      return normalise(target, response, startedAt);
    }
    case 'listUser':
    case 'listAll': {
      // Page boundaries are the store's business; the union of the pages is not.
      const base = s.kind === 'listUser' ? `/sessions/user/${user(s.user)}` : '/sessions';
      const pages = await allPages(async (cursor) => {
        const response = await api.request('GET', base + pageQuery(s.limit, cursor));
        // A refused page ends the listing, and its answer is what is compared.
        return { response, nextCursor: response.status === 200 ? (response.body.nextCursor as string | null) : null };
      }, 100);
      const refused = pages.find(({ response }) => response.status !== 200);
      if (refused !== undefined) return normalise(target, refused.response, startedAt);
      // The whole store is shared by every run; only this run's sessions are compared.
      const seen = pages.flatMap(({ response }) =>
        (normalise(target, response, startedAt) as { body: { sessions: { id: string }[] } }).body.sessions.filter((session) => String(session.id).startsWith('#')),
      );
      return { status: 200, sessions: seen.map((x) => JSON.stringify(x)).sort() };
    }
    case 'deleteUser': {
      const except = s.except === null ? '' : `?except=${idOf(s.except)}`;
      return normalise(target, await api.request('DELETE', `/sessions/user/${user(s.user)}${except}`), startedAt);
    }
    case 'countUser':
      return normalise(target, await api.request('GET', `/sessions/user/${user(s.user)}/count`), startedAt);
    case 'advance':
      api.clock.advance(s.ms);
      return null;
    case 'toExpiry':
      return null;
    case 'bad':
      return normalise(target, await api.request('GET', s.path), startedAt);
  }
}

describe('the HTTP API is the same over every store', () => {
  const targets: Target[] = [];
  const closers: (() => Promise<void>)[] = [];
  const add = async (name: string, store: SessionStore) => {
    // A touch interval of 2.5 s against steps of whole seconds and ttls of 1-5 s: refreshes are
    // throttled by the interval, by half the ttl, or write, and every store must agree on which.
    const api = await startTestServer(store, { service: { policy: { touchInterval: 2_500 } } });
    targets.push({ name, api, ids: [], tokens: [], versions: new Map() });
    closers.push(() => api.close());
  };

  beforeAll(async () => {
    await add('memory', new MemorySessionStore());
    for (const kind of ['standalone', 'cluster'] as const) {
      const redis = await openRedisTestStore(kind);
      closers.push(() => redis.close());
      await add(`redis ${kind}`, redis.store);
    }
    const dynamo = await openDynamoTestStore();
    closers.push(() => dynamo.close());
    await add('dynamodb', dynamo.store);
  }, 60_000);
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  test('random request sequences get the same answers from memory, Redis, Redis Cluster and DynamoDB', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30, size: 'max' }), async (steps) => {
        run++;
        const startedAt = targets[0]?.api.clock.now() ?? 0;
        for (const target of targets) {
          target.ids.length = 0;
          target.tokens.length = 0;
          target.api.clock.set(startedAt);
        }
        for (const s of steps) {
          if (s.kind === 'toExpiry') {
            const reference = targets[0] as Target;
            const current = await reference.api.request('GET', `/sessions/${reference.ids[s.ref] ?? 'none'}`);
            if (current.status === 200) for (const target of targets) target.api.clock.set(Date.parse(current.body.expiresAt));
            continue;
          }
          const [reference, ...others] = await Promise.all(targets.map((target) => perform(target, s, run, startedAt)));
          others.forEach((answer, i) => expect({ store: targets[i + 1]?.name, step: s, answer }).toEqual({ store: targets[i + 1]?.name, step: s, answer: reference }));
        }
        // Move every clock well past this run's sessions, so the next run starts on a clean slate.
        for (const target of targets) target.api.clock.set(startedAt + 3_600_000);
      }),
      { numRuns: 60 },
    );
    // 164 s at a load average of 15 on the 2 cores, against the 240 s this had.
  }, 600_000);
});

// Issue 14: under a session cap, creates and logins (rotations with a userId) through HTTP do
// exactly what the library's service does over the memory store: the same answers, the same
// sessions evicted, the same counts and listings afterwards, on memory, Redis and Redis Cluster
// (DynamoDB applies no cap yet). Each run gets its own cap and fresh stores.
type CapStep =
  // user -1: anonymous (a create), or no userId (a rotation keeps the session's own).
  | { kind: 'create'; user: number; ttl: number }
  | { kind: 'rotate'; ref: number; user: number }
  | { kind: 'delete'; ref: number }
  | { kind: 'countUser' | 'listUser'; user: number }
  | { kind: 'advance'; ms: number };

const capStep: fc.Arbitrary<CapStep> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('create' as const), user: fc.integer({ min: -1, max: 1 }), ttl: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('rotate' as const), ref: fc.nat(5), user: fc.integer({ min: -1, max: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), ref: fc.nat(5) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('countUser' as const, 'listUser' as const), user: fc.nat(1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 3 }).map((s) => s * 1000 + 500) }) },
);

/** What a step did, as the library and the API both can say it: ids as their index in the run. */
type Outcome = { ok: true; evicted?: string[]; userId?: string | undefined; count?: number; ids?: string[] } | { ok: false; problem: string };

/** A way to perform steps: through HTTP on one store, or the library itself. */
interface CapTarget {
  readonly name: string;
  readonly clock: ManualClock;
  readonly ids: string[];
  perform(step: Exclude<CapStep, { kind: 'advance' }>, user: (n: number) => string): Promise<Outcome>;
  close(): Promise<void>;
}

const indexed = (ids: readonly string[], handles: readonly string[]) => handles.map((id) => `#${ids.indexOf(id)}`);
const idOf = (ids: readonly string[], ref: number) => ids[ref] ?? 'AAAA.AAAAAAAAAAAAAAAAAAAAAA';

function libraryTarget(service: SessionService, clock: ManualClock): CapTarget {
  const ids: string[] = [];
  const attempt = async (call: () => Promise<Outcome>): Promise<Outcome> => {
    try {
      return await call();
    } catch (error) {
      if (error instanceof SessionError) return { ok: false, problem: error.code.replace(/_/g, '-') };
      throw error;
    }
  };
  return {
    name: 'the library',
    clock,
    ids,
    perform: (step, user) =>
      attempt(async () => {
        switch (step.kind) {
          case 'create': {
            const created = await service.create({ ...(step.user < 0 ? {} : { userId: user(step.user) }), ttlSeconds: step.ttl });
            ids.push(created.id);
            return { ok: true, evicted: indexed(ids, created.evicted), userId: created.userId };
          }
          case 'rotate': {
            const rotated = await service.rotate(idOf(ids, step.ref), step.user < 0 ? {} : { userId: user(step.user) });
            ids.push(rotated.id);
            return { ok: true, evicted: indexed(ids, rotated.evicted), userId: rotated.userId };
          }
          case 'delete':
            await service.delete(idOf(ids, step.ref));
            return { ok: true };
          case 'countUser':
            return { ok: true, count: await service.countByUser(user(step.user)) };
          case 'listUser':
            return { ok: true, ids: indexed(ids, (await service.listByUser(user(step.user), { limit: 100 })).sessions.map((session) => session.id)).sort() };
        }
      }),
    close: async () => {},
  };
}

function httpTarget(name: string, api: TestServer): CapTarget {
  const ids: string[] = [];
  const outcome = (response: TestResponse, written: (body: any) => Outcome): Outcome => {
    if (response.status >= 200 && response.status < 300) return written(response.body);
    return { ok: false, problem: String(response.body?.type).split(':').at(-1)! };
  };
  const session = (body: any): Outcome => {
    ids.push(body.id);
    return { ok: true, evicted: indexed(ids, body.evicted), userId: body.userId };
  };
  return {
    name,
    clock: api.clock,
    ids,
    async perform(step, user) {
      switch (step.kind) {
        case 'create':
          return outcome(await api.request('POST', '/sessions', { json: { ...(step.user < 0 ? {} : { userId: user(step.user) }), ttlSeconds: step.ttl } }), session);
        case 'rotate': {
          const json = step.user < 0 ? {} : { userId: user(step.user) };
          return outcome(await api.request('POST', `/sessions/${idOf(ids, step.ref)}/rotate`, { json }), session);
        }
        case 'delete':
          return outcome(await api.request('DELETE', `/sessions/${idOf(ids, step.ref)}`), () => ({ ok: true }));
        case 'countUser':
          return outcome(await api.request('GET', `/sessions/user/${encodeURIComponent(user(step.user))}/count`), (body) => ({ ok: true, count: body.count }));
        case 'listUser':
          return outcome(await api.request('GET', `/sessions/user/${encodeURIComponent(user(step.user))}?limit=100`), (body) => ({
            ok: true,
            ids: indexed(ids, (body.sessions as { id: string }[]).map((listed) => listed.id)).sort(),
          }));
      }
    },
    close: () => api.close(),
  };
}

describe('under a session cap, the HTTP API does what the library does, over every store that applies one', () => {
  const redis: RedisTestStore[] = [];
  beforeAll(async () => {
    for (const kind of ['standalone', 'cluster'] as const) redis.push(await openRedisTestStore(kind));
  }, 60_000);
  afterAll(async () => {
    for (const deployment of redis) await deployment.close();
  });

  test('random capped creates and logins get the same answers from the library and from HTTP on memory, Redis and Redis Cluster', async () => {
    let run = 0;
    const policies: readonly SessionLimitPolicy[] = ['evict-oldest', 'evict-idlest', 'reject'];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.constantFrom(...policies), fc.array(capStep, { minLength: 1, maxLength: 25, size: 'max' }), async (max, policy, steps) => {
        run++;
        const cap = { maxSessionsPerUser: max, sessionLimitPolicy: policy };
        const user = (n: number) => `capped-${run}-${['a', 'ab'][n] ?? n}`;
        const stores: [string, SessionStore][] = [['memory', new MemorySessionStore()], ...redis.map((deployment, i): [string, SessionStore] => [`redis ${i === 0 ? 'standalone' : 'cluster'}`, deployment.freshStore()])];
        const targets: CapTarget[] = [];
        const clock = new ManualClock();
        targets.push(libraryTarget(createSessionService({ store: new MemorySessionStore(), clock, ...cap }), clock));
        for (const [name, store] of stores) targets.push(httpTarget(`HTTP on ${name}`, await startTestServer(store, { service: cap })));
        try {
          for (const target of targets) target.clock.set(clock.now());
          for (const s of steps) {
            if (s.kind === 'advance') {
              for (const target of targets) target.clock.advance(s.ms);
              continue;
            }
            // One at a time, each a millisecond after the last: creation order decides evict-oldest and must be the same.
            for (const target of targets) target.clock.advance(1);
            const [reference, ...others] = await Promise.all(targets.map((target) => target.perform(s, user)));
            others.forEach((answer, i) => expect({ target: targets[i + 1]?.name, max, policy, step: s, answer }).toEqual({ target: targets[i + 1]?.name, max, policy, step: s, answer: reference }));
          }
        } finally {
          for (const target of targets.slice(1)) await target.close();
        }
      }),
      { numRuns: 40 },
    );
  }, 600_000);
});
