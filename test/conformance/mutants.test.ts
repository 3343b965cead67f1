import { afterAll, describe, expect, test } from 'vitest';
import type { SessionStore } from '../../core/index.js';
import { checkSessionStore, SessionStoreConformanceError } from '../../testing/index.js';
import { BoundaryGetStore } from './mutants/boundary-get-store.js';
import { ByteBlindPagesStore } from './mutants/byte-blind-pages-store.js';
import { DelegatingStore } from './mutants/delegating-store.js';
import { DuplicatingPagesStore } from './mutants/duplicating-pages-store.js';
import { ExpiredCountStore } from './mutants/expired-count-store.js';
import { ForeignCursorStore } from './mutants/foreign-cursor-store.js';
import { ForgetfulIndexStore } from './mutants/forgetful-index-store.js';
import { LongRefreshStore } from './mutants/long-refresh-store.js';
import { LostUpdateStore } from './mutants/lost-update-store.js';
import { MovingDeadlineStore } from './mutants/moving-deadline-store.js';
import { PageDroppingStore } from './mutants/page-dropping-store.js';
import { PlainSessionStore } from './mutants/plain-session-store.js';
import { PrefixUserStore } from './mutants/prefix-user-store.js';
import { ProtoKeyStore } from './mutants/proto-key-store.js';
import { RacyCreateStore } from './mutants/racy-create-store.js';
import { UndeadDeleteStore } from './mutants/undead-delete-store.js';
import { VersionBlindDeleteStore } from './mutants/version-blind-delete-store.js';
import { VersionBlindUpdateStore } from './mutants/version-blind-update-store.js';
import { AliasBlindCreateStore } from './mutants/alias-blind-create-store.js';
import { StickyAliasStore } from './mutants/sticky-alias-store.js';
import { HintTrustingDeleteStore } from './mutants/hint-trusting-delete-store.js';
import { ExceptBlindDeleteStore } from './mutants/except-blind-delete-store.js';
import { ExpiredInCountStore } from './mutants/expired-in-count-store.js';
import { HomeCountStore } from './mutants/home-count-store.js';
import { AliasFollowingGetStore } from './mutants/alias-following-get-store.js';
import { AlwaysSlidingStore } from './mutants/always-sliding-store.js';
import { DigestKeyedStore } from './mutants/digest-keyed-store.js';
import { HomeListingStore } from './mutants/home-listing-store.js';
import { LiteralResolveStore } from './mutants/literal-resolve-store.js';
import { OutlivingAliasStore } from './mutants/outliving-alias-store.js';
import { CheckThenCreateCapStore } from './mutants/check-then-create-cap-store.js';
import { NewestEvictingStore } from './mutants/newest-evicting-store.js';
import { UncappedStore } from './mutants/uncapped-store.js';
import { WholeSecondStore } from './mutants/whole-second-store.js';
import { TouchFromStore } from './mutants/touch-from-store.js';
import { UntouchedIntervalStore } from './mutants/untouched-interval-store.js';
import { CopyThenDeleteRotateStore } from './mutants/copy-then-delete-rotate-store.js';
import { OutlivingGraceRotateStore } from './mutants/outliving-grace-rotate-store.js';
import { DataDroppingRotateStore, VersionResettingRotateStore } from './mutants/regenerating-rotate-store.js';
import { SortedMethodsStore } from './mutants/sorted-methods-store.js';
import { ContextDroppingUpdateStore } from './mutants/context-dropping-update-store.js';
import { CapBlindRotateStore } from './mutants/cap-blind-rotate-store.js';
import { CheckThenRotateCapStore } from './mutants/check-then-rotate-cap-store.js';
import { SelfCountingRotateStore } from './mutants/self-counting-rotate-store.js';
import { EventfulStore } from './mutants/eventful-store.js';
import { LostOnConflictEventStore } from './mutants/lost-on-conflict-event-store.js';
import { RefusedWriteEventStore } from './mutants/refused-write-event-store.js';
import { DoubleExpiryEventStore } from './mutants/double-expiry-event-store.js';
import { UnmovedRefreshEventStore } from './mutants/unmoved-refresh-event-store.js';
import { WrongReasonEventStore } from './mutants/wrong-reason-event-store.js';
import { ShortSweepEventStore } from './mutants/short-sweep-event-store.js';
import { SilentReclaimEventStore } from './mutants/silent-reclaim-event-store.js';
import { RacySweepEventStore } from './mutants/racy-sweep-event-store.js';

// Each mutant breaks the port in one way. The suite must reject every one with its DEFAULT
// options (any seed): if one passes, the suite is what needs fixing, never the mutant.
const mutants: Record<string, () => SessionStore> = {
  'returns a session at expiresAt == now': () => new BoundaryGetStore(),
  'ignores the version on update': () => new VersionBlindUpdateStore(),
  'ignores the version on delete': () => new VersionBlindDeleteStore(),
  'forgets the user index on delete': () => new ForgetfulIndexStore(),
  'drops the last item of a full page': () => new PageDroppingStore(),
  "lists another user's session (prefix match)": () => new PrefixUserStore(),
  'a sliding update passes the absolute timeout (now + ttl * 10)': () => new LongRefreshStore(),
  'loses updates under racing updates (read, then write)': () => new LostUpdateStore(),
  'creates twice under racing creates': () => new RacyCreateStore(),
  'repeats a session across pages': () => new DuplicatingPagesStore(),
  'counts expired sessions in deleteByUser': () => new ExpiredCountStore(),
  'answers true when deleting an expired session': () => new UndeadDeleteStore(),
  'drops a __proto__ key from data': () => new ProtoKeyStore(),
  "takes another listing's cursor as its own": () => new ForeignCursorStore(),
  'orders a user listing by the deadline, which moves on every write': () => new MovingDeadlineStore(),
  'bounds pages by count but not by bytes': () => new ByteBlindPagesStore(),
  'keeps the alias of a deleted session (it outlives it)': () => new OutlivingAliasStore(),
  "delete removes the hinted alias without checking it is the session's own": () => new HintTrustingDeleteStore(),
  'resolve follows no alias': () => new LiteralResolveStore(),
  'get follows aliases': () => new AliasFollowingGetStore(),
  'update rounds deadlines to whole seconds': () => new WholeSecondStore(),
  'update slides when slide is false': () => new AlwaysSlidingStore(),
  'update ignores the absolute timeout': () => new UncappedStore(),
  "lists an anonymous session in its home's user listing": () => new HomeListingStore(),
  'keys sessions by digest, not by the whole handle': () => new DigestKeyedStore(),
  "creates a session at a live session's alias": () => new AliasBlindCreateStore(),
  "refuses an expired session's alias": () => new StickyAliasStore(),
  'deleteByUser ignores except': () => new ExceptBlindDeleteStore(),
  'countByUser counts expired sessions': () => new ExpiredInCountStore(),
  "countByUser counts everyone in the user's home": () => new HomeCountStore(),
  'a session cap checked, then created in a second step': () => new CheckThenCreateCapStore(),
  'a capped create evicts the newest sessions, whatever the policy': () => new NewestEvictingStore(),
  'a refresh within the touch interval writes anyway': () => new UntouchedIntervalStore(),
  'throttles refreshes from updatedAt, not lastActiveAt': () => new TouchFromStore('updatedAt'),
  'throttles refreshes from createdAt, not lastActiveAt': () => new TouchFromStore('createdAt'),
  'rotate writes the new session, then deletes the old one in another step': () => new CopyThenDeleteRotateStore(),
  "rotate lets the old token resolve past the grace, for the new session's life": () => new OutlivingGraceRotateStore(),
  'rotate drops the data': () => new DataDroppingRotateStore(),
  'rotate resets the version to 1': () => new VersionResettingRotateStore(),
  "keeps a context's authMethods sorted (as a set would)": () => new SortedMethodsStore(),
  'update drops the context': () => new ContextDroppingUpdateStore(),
  'rotate ignores the session cap (a login never evicts, never refused)': () => new CapBlindRotateStore(),
  'a capped rotate counts the session it rotates against the cap': () => new SelfCountingRotateStore(),
  'a capped rotate checks the cap, then rotates in a second step': () => new CheckThenRotateCapStore(),
  // Events (issue 15): each of these conforms but for its events.
  'an event lost on a conflict (a conflicting update takes the last event back)': () => new LostOnConflictEventStore(),
  'an event recorded for a write refused on its version': () => new RefusedWriteEventStore(),
  'a second session.expired for a session read after it expired': () => new DoubleExpiryEventStore(),
  'a session.refreshed for a refresh that left expiresAt where it was': () => new UnmovedRefreshEventStore(),
  'logout-others recorded as logout-everywhere': () => new WrongReasonEventStore(),
  'a sweep answers less than it claimed, leaving expired sessions unreported': () => new ShortSweepEventStore(),
  'a read reclaims an expired session without its session.expired': () => new SilentReclaimEventStore(),
  'sweeps in flight at once both record what they both claimed': () => new RacySweepEventStore(),
};

const caught: string[] = [];

describe('the stores the mutants are built on conform', () => {
  test('the plain store behind a delegating wrapper', async () => {
    await expect(checkSessionStore(() => new DelegatingStore())).resolves.toBeUndefined();
  });
  test('the plain map-and-index store', async () => {
    await expect(checkSessionStore(() => new PlainSessionStore())).resolves.toBeUndefined();
  });
  test('the memory store with events behind the wrapper the events mutants share', async () => {
    await expect(checkSessionStore(() => new EventfulStore())).resolves.toBeUndefined();
  });
});

describe('checkSessionStore rejects every mutant with its default options', () => {
  for (const [name, makeStore] of Object.entries(mutants)) {
    test(name, async () => {
      const error = await checkSessionStore(makeStore).then(
        () => undefined,
        (rejection: unknown) => rejection,
      );
      expect(error, `the suite let the mutant "${name}" pass`).toBeInstanceOf(SessionStoreConformanceError);
      const { property, numRuns, seed } = error as SessionStoreConformanceError;
      caught.push(`${name}: ${property} property, run ${numRuns} (seed ${seed})`);
    });
  }
});

afterAll(() => {
  console.log(`Mutants caught (${caught.length}/${Object.keys(mutants).length}):\n  ${caught.join('\n  ')}`);
});
