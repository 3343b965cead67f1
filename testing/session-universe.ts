import fc from 'fast-check';
import { USERS } from './session-values.js';

/**
 * The home of each of `USERS`, as the core's `userHome` computes it (a test of the suite checks
 * that these are its answers; they are written out so the suite needs no hashing). `ü` and
 * `uh1135` share one.
 */
export const USER_HOMES: ReadonlyMap<string, string> = new Map([
  ['a', 'dnMh'],
  ['a:b', '0jn6'],
  ['{a}*', 'xKbS'],
  ['ü', 'roqJ'],
  ['uh1135', 'roqJ'],
]);

/** How many session slots a run names: few, so creates collide and handles are reused. */
export const SLOT_COUNT = 8;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const base64url = (length: number) =>
  fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: length, maxLength: length });

/**
 * One name a run uses: the handle a session would have there, whose it would be (`undefined`:
 * anonymous), and, for a user's session made with a caller's token, the alias at the token's own
 * handle (the digest's first 4 characters as its home), as the core's `placeToken` lays them out.
 */
export interface Slot {
  readonly owner: string | undefined;
  readonly handle: string;
  readonly alias: string | undefined;
  /** The digest in another home: a handle of the same form that names nothing in the run. */
  readonly stranger: string;
}

/** The names of one run. */
export interface Universe {
  readonly slots: readonly Slot[];
}

/** Where an anonymous session lives: its digest's own home, a user's home, or any other. */
type AnonymousHome = { readonly own: true } | { readonly userOf: number } | { readonly home: string };

function slotOf(digest: string, owner: string | undefined, anonymous: AnonymousHome): Slot {
  const own = digest.slice(0, 4);
  const home =
    owner !== undefined
      ? USER_HOMES.get(owner)!
      : 'own' in anonymous
        ? own
        : 'userOf' in anonymous
          ? USER_HOMES.get(USERS[anonymous.userOf]!)!
          : anonymous.home;
  const handle = `${home}.${digest}`;
  const alias = owner !== undefined && home !== own ? `${own}.${digest}` : undefined;
  // Another home for the same digest: the first character moved one place along the alphabet.
  const moved = BASE64URL[(BASE64URL.indexOf(home.charAt(0)) + 1) % BASE64URL.length]!;
  return { owner, handle, alias, stranger: `${moved}${home.slice(1)}.${digest}` };
}

/**
 * The names of a run, generated in the handle form and never UUIDs: a few digests shared among
 * the slots, so one digest shows in several homes (a store must key by the whole handle) and
 * now and then one handle names slots of different owners (a session created again under
 * another owner, and half the runs make sure of it); users' sessions in their homes, two users in one home, anonymous sessions in
 * their own homes, in a user's home or anywhere.
 */
export const universe = (): fc.Arbitrary<Universe> =>
  fc
    .tuple(
      fc.uniqueArray(base64url(22), { minLength: 3, maxLength: SLOT_COUNT }),
      fc.array(
        fc.record({
          digest: fc.nat(),
          // Mostly `a`, so that one user holds several sessions and its listing takes pages.
          owner: fc.option(fc.oneof({ weight: 2, arbitrary: fc.constant(USERS[0]!) }, { weight: 3, arbitrary: fc.constantFrom(...USERS) }), {
            nil: undefined,
            freq: 4,
          }),
          anonymous: fc.oneof(
            fc.constant({ own: true } as const),
            fc.nat({ max: USERS.length - 1 }).map((userOf) => ({ userOf })),
            base64url(4).map((home) => ({ home })),
          ),
        }),
        { minLength: SLOT_COUNT, maxLength: SLOT_COUNT },
      ),
      fc.constantFrom('none' as const, 'handle' as const, 'token' as const),
    )
    .map(([digests, plans, twin]) => {
      const slots = plans.map((plan) => slotOf(digests[plan.digest % digests.length]!, plan.owner, plan.anonymous));
      return { slots: twin === 'none' ? slots : [...slots.slice(0, -1), twinOf(slots[0]!, twin)] };
    });

/**
 * A last slot that the first one's sessions collide with. `handle`: the first slot's handle for
 * another owner (anonymous, or for an anonymous slot a user whose home it is, if any): a store
 * must tell the two apart when one replaces the other. `token`: the first slot's alias as an
 * anonymous session's handle, as when one caller's token is used with a user and without.
 */
function twinOf(first: Slot, twin: 'handle' | 'token'): Slot {
  if (twin === 'token' && first.alias !== undefined) {
    return { owner: undefined, handle: first.alias, alias: undefined, stranger: first.stranger };
  }
  const home = first.handle.slice(0, 4);
  const owners = [undefined, ...USERS.filter((userId) => USER_HOMES.get(userId) === home)];
  const owner = owners.find((candidate) => candidate !== first.owner);
  return { ...first, owner, alias: owner === undefined ? undefined : slotOf(first.handle.slice(5), owner, { own: true }).alias };
}

/** A slot of the run; the first and the last (where twins collide) more often than the others. */
export const slot = (): fc.Arbitrary<number> =>
  fc.oneof({ weight: 1, arbitrary: fc.constantFrom(0, SLOT_COUNT - 1) }, { weight: 2, arbitrary: fc.nat({ max: SLOT_COUNT - 1 }) });
