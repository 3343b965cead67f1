import type { Cluster, Redis } from 'ioredis';
import {
  EVENT_RETENTION_DEFAULT_MS,
  InvalidInputError,
  isLive,
  isThrottled,
  takeJsonText,
  ownHandleOf,
  PAGE_MAX_BYTES_DEFAULT,
  StoreUnavailableError,
  userHome,
  webCryptoSha256,
  type CreateOptions,
  type CreateOutcome,
  type DeleteOptions,
  type DeleteOutcome,
  type Page,
  type PageRequest,
  type RotateOptions,
  type RotateOutcome,
  type Session,
  type EventLogOptions,
  type SessionChange,
  type SessionEventLog,
  type SessionLimit,
  type SessionStore,
  type Sha256,
} from '../../core/index.js';
import { aliasScripts, type AliasScriptName } from './alias-scripts.js';
import { indexMember, KeyLayout, MEMBER_SEPARATOR, userRange } from './key-layout.js';
import { listPositions, type ListPosition } from './list-position.js';
import { REASON_CODES } from './event-entry.js';
import { eventScripts } from './event-scripts.js';
import { RedisEventLog, type EventScriptCalls } from './redis-event-log.js';
import { defaultScriptTuning, sessionScripts, tuningName, type ScriptDefinition, type SessionScriptName } from './session-scripts.js';
import { toStoreError } from './store-unavailable.js';
import {
  ALIAS_MARK,
  aliasTarget,
  decodeHeader,
  decodeSession,
  encodeHeader,
  forwarderValue,
  PENDING_MARK,
  pendingAlias,
  pendingOf,
  sessionOf,
} from './stored-session.js';


/** The live session a stored value holds, with its alias; `undefined` for none, an alias or an expired one. */
function liveSession(handle: string, value: string | null, now: number): { session: Session; alias: string } | undefined {
  const found = value === null ? undefined : decodeSession(handle, value);
  return found !== undefined && isLive(found.session, now) ? found : undefined;
}

/** The handle an index member names. */
function handleOfMember(member: string): string {
  return member.slice(member.indexOf(MEMBER_SEPARATOR) + 1);
}

/** Options of the Redis store. Prefix and partition count fix where keys live: change neither on a live data set. */
export interface RedisSessionStoreOptions {
  /** Starts every key (default `session-api:`); must not contain `{` or `}`. */
  readonly keyPrefix?: string;
  /**
   * How many partitions (hash slots in a cluster) the homes of sessions map to (default 16). A
   * user's sessions are always in one; the listing of everyone visits them in turn, so more
   * partitions spread a cluster's load over more slots and cost a listing more round trips.
   */
  readonly partitions?: number;
  /** How long after its deadline Redis may drop a session by itself (default 60 000 ms). */
  readonly expiryGraceMs?: number;
  /** How many expired sessions a create, or a listing call that met dead entries, reclaims besides (default 4). */
  readonly reclaimBudget?: number;
  /**
   * The step of the expiry index's scores (default 1000 ms; 1 ms with events): a deadline is
   * indexed rounded up to it when written, so a session is reclaimed, and its `session.expired`
   * recorded, at most this late (reads never show it meanwhile). The index is lazy: a write that
   * moves a deadline later leaves its score, and reclaiming scores the session again when it meets
   * it live (docs/redis-layout.md, Expiry).
   */
  readonly expiryStepMs?: number;
  /**
   * How many sessions one script removes at most: of deleteByUser, of the dead entries a listing
   * met, of a sweep (default 32; 16 with events). Each removal is a GET, a DEL and two ZREMs:
   * about 15 µs inside Redis on a loaded 2-core VM, 27 µs with its event's XADD, so a batch stays
   * well under 1 ms, where 128 took 1.9 ms (3.5 ms with events) and a listing's 1,064 in one
   * script 18-30 ms.
   */
  readonly deleteBatch?: number;
  /** How many sessions one script of countByUser reads (default 64: a GET each, about 5-8 µs; 128 took 0.6-1.1 ms). */
  readonly countBatch?: number;
  /** How many index entries past a page's size a listing call may examine (expired ones; default 64). */
  readonly scanSlack?: number;
  /** Hashes userIds to their home (the core's `userHome`); Web Crypto's by default. */
  readonly sha256?: Sha256;
  /**
   * Records lifecycle events (off by default: each change then costs an XADD to its partition's
   * stream, in the same script). `true` keeps them `EVENT_RETENTION_DEFAULT_MS` (24 h).
   */
  readonly events?: boolean | EventLogOptions;
}

type Reply = string | number | null | Reply[];
type ScriptCommands = Record<SessionScriptName | AliasScriptName, (...args: (string | number)[]) => Promise<Reply>>;

/** The create script's cap arguments (max, policy, user range) when no cap applies. */
const NO_CAP: readonly string[] = ['', '', '', ''];

/** The claim script's answer: { 1 claimed, aliases reclaimed } | { 0 taken } | { 2 | 3, the alias value in the way }. */
type ClaimReply = [number, string[] | string];

/**
 * What #createScript answers: the create script's code, the aliases reclaimed on the way, and
 * what the code says is held (the evicted handles, the alias value in the way, or, for
 * CLAIM_NOT_HELD, the claim's answer).
 */
type CreateReply = [created: number, reclaimed: string[], held?: string | string[] | ClaimReply];

/** The claimed create script's answer when its claim claimed nothing: nothing written. */
const CLAIM_NOT_HELD = 5;

/**
 * How many times a capped write settles the pending sessions in its way (see #settle) and asks
 * again before it gives up: each round settles every one it met, so only a stream of new logins
 * of one user racing it can take more than one.
 */
const SETTLE_ATTEMPTS = 8;

/** The cap arguments of the create and rotate scripts for a session of `userId` under `limit`. */
function capArguments(userId: string | undefined, limit: SessionLimit | undefined): readonly (string | number)[] {
  if (limit === undefined || userId === undefined) return NO_CAP;
  // A user's range of the partition's index, which the script counts and evicts from.
  const range = userRange(userId);
  return [limit.max, limit.policy, `[${range.from}`, `(${range.to}`];
}

/**
 * A whole-number option, `fallback` when absent. Checked here because some are written into the
 * scripts' text (a NaN there is broken Lua) and batches of 0 would loop without end.
 */
function wholeOption(name: string, value: number | undefined, fallback: number, least: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < least) throw new InvalidInputError(name, `must be a whole number, at least ${least}`);
  return value;
}

/** What the scripts need to record events, or `undefined` for a store that records none. */
function eventScripting(events: boolean | EventLogOptions | undefined): { retentionMs: number } | undefined {
  if (events === undefined || events === false) return undefined;
  const retentionMs = events === true ? EVENT_RETENTION_DEFAULT_MS : (events.retentionMs ?? EVENT_RETENTION_DEFAULT_MS);
  if (!Number.isSafeInteger(retentionMs) || retentionMs < 1) throw new InvalidInputError('events.retentionMs', 'must be a whole number of ms, at least 1');
  return { retentionMs };
}

/**
 * Defines `scripts` on the client and answers a caller per script. defineCommand sends EVALSHA
 * and falls back to EVAL on NOSCRIPT (after a restart or failover); defining the same script twice
 * on one client is harmless. Scripts are defined under names that say what their text was built
 * with (`variant`: events and their retention, the store's tuning), so stores that differ in
 * those share a client.
 */
function defineScripts(client: Redis | Cluster, scripts: Record<string, ScriptDefinition>, variant: string) {
  const commands = client as unknown as Record<string, (...args: (string | number)[]) => Promise<Reply>>;
  const calls: Record<string, (...args: (string | number)[]) => Promise<Reply>> = {};
  for (const [name, script] of Object.entries(scripts)) {
    const command = `${name}${variant}`;
    client.defineCommand(command, script);
    calls[name] = (...args) => (commands[command] as (...args: (string | number)[]) => Promise<Reply>).call(client, ...args);
  }
  return calls;
}

/**
 * The session store over Redis or Redis Cluster (ioredis). Each single-session call is one Lua
 * script or one GET, so one round trip, atomic, in one slot; an alias costs one more command (it
 * lives in its own slot), in the same round trip on standalone Redis for a resolve and a delete
 * told the alias (alias-scripts.ts). It is handed its client and never closes it. See
 * docs/redis-layout.md.
 */
export class RedisSessionStore implements SessionStore {
  readonly #client: Redis | Cluster;
  readonly #scripts: ScriptCommands;
  readonly #keys: KeyLayout;
  readonly #graceMs: number;
  readonly #reclaimBudget: number;
  readonly #deleteBatch: number;
  readonly #countBatch: number;
  readonly #expiryStep: number;
  readonly #scanSlack: number;
  readonly #sha256: Sha256;
  readonly #positions: ListPosition;
  /** The event log, when the store records events. */
  readonly events: SessionEventLog | undefined;

  constructor(client: Redis | Cluster, options: RedisSessionStoreOptions = {}) {
    this.#keys = new KeyLayout(options.keyPrefix ?? 'session-api:', options.partitions ?? 16);
    const events = eventScripting(options.events);
    const defaults = defaultScriptTuning(events !== undefined);
    this.#graceMs = wholeOption('expiryGraceMs', options.expiryGraceMs, defaults.graceMs, 0);
    this.#reclaimBudget = wholeOption('reclaimBudget', options.reclaimBudget, defaults.reclaimBudget, 0);
    this.#expiryStep = wholeOption('expiryStepMs', options.expiryStepMs, defaults.expiryStepMs, 1);
    this.#deleteBatch = wholeOption('deleteBatch', options.deleteBatch, events === undefined ? 32 : 16, 1);
    this.#countBatch = wholeOption('countBatch', options.countBatch, 64, 1);
    this.#scanSlack = wholeOption('scanSlack', options.scanSlack, 64, 0);
    this.#sha256 = options.sha256 ?? webCryptoSha256;
    this.#positions = listPositions(this.#keys.partitions);
    this.#client = client;
    const tuning = { graceMs: this.#graceMs, expiryStepMs: this.#expiryStep, reclaimBudget: this.#reclaimBudget };
    const eventsName = events === undefined ? '' : `Events${events.retentionMs}`;
    // The alias scripts record nothing: the same with events or without.
    this.#scripts = {
      ...defineScripts(client, sessionScripts(events, tuning), eventsName + tuningName(tuning)),
      ...defineScripts(client, aliasScripts, ''),
    } as ScriptCommands;
    this.events =
      events === undefined
        ? undefined
        : new RedisEventLog(client, this.#keys, defineScripts(client, eventScripts(events), eventsName) as EventScriptCalls, (aliases) =>
            this.#dropAliases(aliases),
            this.#deleteBatch,
          );
  }

  /** Where this store keeps its keys (for tests and tools that look at Redis directly). */
  get keys(): KeyLayout {
    return this.#keys;
  }

  async create(session: Session, now: number, options: CreateOptions = {}): Promise<CreateOutcome> {
    const { alias, limit } = options;
    const tag = this.#keys.tagOf(session.id);
    const cap = capArguments(session.userId, limit);
    return this.#call(async () => {
      const value = encodeHeader(session, alias) + takeJsonText(session.data);
      const px = alias === undefined ? String(Math.max(session.expiresAt - now + this.#graceMs, 1)) : '';
      const write = (claimed?: string) => this.#createScript(session, tag, value, px, now, cap, true, claimed);
      // In a cluster the alias first, so a crash between the two leaves at most an alias naming
      // nothing; on standalone Redis one script writes both, unless the claim finds an alias in the
      // way (then the alias first here too). It has no native expiry (nor then its session): the
      // store's reclaiming removes both.
      const first = alias === undefined ? await write() : await this.#claimThenWrite(alias, session.id, now, write);
      if (first === undefined) return 'exists';
      let [created, reclaimed, held] = first;
      // The handle is another session's alias: free once that session is over (its token is),
      // and already free when the script's own reclaiming just removed that session.
      if (created === 2) {
        const freed = reclaimed.includes(session.id) || (await this.#reclaimAliasOwner(session.id, held as string, now, false));
        if (freed) {
          await this.#dropAliases(reclaimed.filter((name) => name !== alias));
          [created, reclaimed, held] = await write();
        }
      }
      const undo = created === 1 || alias === undefined ? [] : [alias];
      // An expired session dropped on the way may have held this very alias or handle, now ours: keep
      // them. The aliases of evicted sessions go here too: after the session, as every removal does.
      await this.#dropAliases([...reclaimed.filter((name) => name !== alias && name !== session.id), ...undo]);
      if (created === 3) return 'refused';
      if (created !== 1) return 'exists';
      const evicted = held as string[];
      return evicted.length === 0 ? 'created' : { evicted };
    });
  }

  async get(id: string, now: number): Promise<Session | undefined> {
    // A plain GET, not a script: one command is atomic already, and the cheapest read Redis has.
    const value = await this.#call(() => this.#client.get(this.#keys.session(id)));
    // Decoded once (the header split and the data's JSON.parse are most of a get's client time).
    const own = liveSession(id, value, now);
    const pending = this.#confirmed(id, own);
    return pending === undefined ? own?.session : (await pending)?.session;
  }

  async resolve(handle: string, now: number): Promise<Session | undefined> {
    return this.#call(async () => {
      const key = this.#keys.session(handle);
      // A caller token's own handle (its home is its digest's) may hold its alias. Standalone,
      // the alias and its session are read by one script (one round trip); in a cluster they are
      // in two slots: two GETs. Any other handle is a plain GET (an issued token has no alias;
      // a rotation's forwarder costs the second GET). The answers are checked alike.
      const read = this.#client.isCluster || ownHandleOf(handle) !== handle
        ? await this.#client.get(key)
        : ((await this.#scripts.sessionApiResolve(key, this.#keys.prefix, this.#keys.partitions)) as string | [string, string | null] | null);
      const value = typeof read === 'string' || read === null ? read : read[0];
      if (value === null || !value.startsWith(ALIAS_MARK)) {
        const own = liveSession(handle, value, now);
        return (await (this.#confirmed(handle, own) ?? own))?.session;
      }
      // An alias: the session lives in its user's home (issued tokens never have one); a
      // rotation's old handle only until its grace ends.
      const { target, until } = aliasTarget(value);
      if (until <= now) return undefined;
      const held = Array.isArray(read) ? read[1] : await this.#client.get(this.#keys.session(target));
      const found = liveSession(target, held, now);
      // A pending session names this very forwarder, just read: it is confirmed.
      return found !== undefined && (found.alias === handle || pendingOf(found.alias)?.oldId === handle) ? found.session : undefined;
    });
  }

  /**
   * A rotation. Within one slot (or on standalone Redis, where a script may touch any key) one
   * script. Across slots in a cluster (a login: the anonymous session's home to the user's), three
   * steps, each atomic: (1) the new session is written pending, its alias field `?<old handle>@<end
   * of grace>`, which no reader takes for live unless the old handle's key holds the forwarder
   * naming it; (2) the old session becomes that forwarder (the linearization point: before it the
   * old session is live and the new one is not, after it the reverse); (3) the new session is
   * confirmed (and, with no grace, the forwarder removed). A crash after (1) leaves a pending
   * session no one can find but the reclaiming (and a capped write of its user, see #settle), after
   * (2) one that reads confirm (`get` repairs it).
   *
   * Under a cap the user's cap is checked in (1), the create script's pending write: the user's
   * other sessions, pending ones counted, so that two logins cannot both pass (see CAP in
   * session-scripts.ts). Sessions it evicts are gone before (2): should (2) then fail (a write or a
   * delete of the old session raced the login), they stay gone; the core retries a conflict.
   */
  async rotate(oldId: string, next: Session, now: number, options: RotateOptions): Promise<RotateOutcome> {
    const oldTag = this.#keys.tagOf(oldId);
    const newTag = this.#keys.tagOf(next.id);
    const grace = options.graceUntil > now;
    const forwarder = forwarderValue(next.id, options.graceUntil);
    const forwarderPx = this.#forwarderPx(options.graceUntil, next.expiresAt, now);
    const data = takeJsonText(next.data);
    const cap = capArguments(next.userId, options.limit);
    return this.#call(async () => {
      if (!this.#client.isCluster || oldTag === newTag) {
        const value = encodeHeader(next, grace ? oldId : undefined) + data;
        const run = async () =>
          (await this.#scripts.sessionApiRotate(
            this.#keys.session(oldId),
            this.#keys.session(next.id),
            this.#keys.ids(oldTag),
            this.#keys.expiry(oldTag),
            this.#keys.ids(newTag),
            this.#keys.expiry(newTag),
            oldTag,
            newTag,
            now,
            next.version - 1,
            oldId,
            indexMember(next.userId, next.id),
            value,
            grace ? forwarder : '',
            forwarderPx,
            next.expiresAt,
            this.#expiryStep,
            ...cap,
            ...(this.events !== undefined ? [options.graceUntil] : []),
          )) as [string, string[], (string | string[])?];
        let aliasFreed = false;
        for (let attempt = 0; ; attempt++) {
          const [outcome, aliases, held] = await run();
          await this.#dropAliases(aliases.filter((name) => name !== next.id && name !== oldId));
          if (outcome === 'alias') {
            // Another session's alias holds the new handle: free once that session is over.
            if (aliasFreed || !(await this.#reclaimAliasOwner(next.id, held as string, now, false))) return 'exists';
            aliasFreed = true;
            continue;
          }
          if (outcome === 'pending') {
            if (attempt >= SETTLE_ATTEMPTS) throw new StoreUnavailableError('too many logins of one user in flight; try again shortly');
            await this.#settle(held as string[], now);
            continue;
          }
          if (outcome === 'rotated') return { session: next, evicted: (held as string[] | undefined) ?? [] };
          return outcome as 'missing' | 'conflict' | 'exists' | 'refused';
        }
      }
      // Across slots. The old session is checked first, so that a rotation bound to fail writes nothing.
      const current = liveSession(oldId, await this.#client.get(this.#keys.session(oldId)), now);
      if (current === undefined) return 'missing';
      if (current.session.version !== next.version - 1) return 'conflict';
      const pending = pendingAlias(oldId, options.graceUntil);
      const pendingValue = encodeHeader(next, pending) + data;
      const written = await this.#create(next, newTag, pendingValue, now, cap);
      if (written === 'exists' || written === 'refused') return written;
      const [moved, aliases] = (await this.#scripts.sessionApiMoveOut(
        this.#keys.session(oldId),
        this.#keys.ids(oldTag),
        this.#keys.expiry(oldTag),
        oldId,
        now,
        next.version - 1,
        forwarder,
        forwarderPx,
        ...(this.events !== undefined ? [oldTag, options.graceUntil] : []),
      )) as [string, string[]];
      if (moved !== 'moved') {
        // Only while still pending as written: a session confirmed is another rotation's doing.
        await this.#deleteScript(this.#keys.session(next.id), now, next.version, pendingValue);
        return moved as 'missing' | 'conflict';
      }
      await this.#dropAliases(aliases);
      await this.#finish(next.id, oldId, pending, grace, forwarder);
      return { session: next, evicted: written.evicted };
    });
  }

  /** How long the forwarder of a rotation lasts: its grace, or as long as a pending session may need it confirmed. */
  #forwarderPx(graceUntil: number, expiresAt: number, now: number): string {
    return String(Math.max(Math.max(graceUntil, expiresAt) - now + this.#graceMs, 1));
  }

  /**
   * The create script on `session`'s keys (`announce`: it records `session.created`; not for a
   * rotation's pending session, whose rotation records its own). Answers { 1 created, reclaimed aliases, evicted },
   * { 0 taken }, { 2, aliases, the alias value holding the key } or { 3 refused by the cap }.
   * Pending sessions in the way of the cap (the script's 4) are settled (see #settle) and the
   * script asked again; the aliases reclaimed on the way are all answered. With `claimed` (an
   * alias's key, standalone only), the script claims that alias first (or, without a cap, with
   * nothing due for reclaiming and both keys free, writes both), and answers [CLAIM_NOT_HELD, [], the claim's answer] when it claims nothing,
   * leaving nothing written.
   */
  async #createScript(
    session: Session,
    tag: string,
    value: string,
    px: string,
    now: number,
    cap: readonly (string | number)[],
    announce: boolean,
    claimed?: string,
  ): Promise<CreateReply> {
    const reclaimed: string[] = [];
    // Without events and a cap the script is sent no cap arguments at all (fewer to parse).
    const trailing = this.events !== undefined ? [...cap, announce ? '1' : '0'] : cap === NO_CAP ? [] : cap;
    const keys = [this.#keys.session(session.id), this.#keys.ids(tag), this.#keys.expiry(tag)];
    const args = [tag, now, indexMember(session.userId, session.id), session.expiresAt, value, px, ...trailing];
    for (let attempt = 0; ; attempt++) {
      // The claim is made by the first attempt; one after settling only writes.
      const reply = (await (claimed !== undefined && attempt === 0
        ? this.#scripts.sessionApiCreateClaimed(...keys, claimed, ...args)
        : this.#scripts.sessionApiCreate(...keys, ...args))) as 1 | CreateReply;
      if (Array.isArray(reply) && reply[0] === CLAIM_NOT_HELD) return [CLAIM_NOT_HELD, reclaimed, reply.slice(1) as ClaimReply];
      // A bare 1: created, with nothing reclaimed and nobody evicted.
      const [created, aliases, held] = reply === 1 ? [1, [], []] : reply;
      reclaimed.push(...aliases);
      if (created !== 4) return held === undefined ? [created, reclaimed] : [created, reclaimed, held];
      if (attempt >= SETTLE_ATTEMPTS) throw new StoreUnavailableError('too many logins of one user in flight; try again shortly');
      await this.#settle(held as string[], now);
    }
  }

  /** Writes a new session at a free handle (as `create` does without an alias), under `cap`. */
  async #create(
    session: Session,
    tag: string,
    value: string,
    now: number,
    cap: readonly (string | number)[],
  ): Promise<{ readonly evicted: readonly string[] } | 'exists' | 'refused'> {
    const write = () => this.#createScript(session, tag, value, '', now, cap, false);
    let [created, reclaimed, held] = await write();
    if (created === 2 && (reclaimed.includes(session.id) || (await this.#reclaimAliasOwner(session.id, held as string, now, false)))) {
      await this.#dropAliases(reclaimed.filter((name) => name !== session.id));
      [created, reclaimed, held] = await write();
    }
    await this.#dropAliases(reclaimed.filter((name) => name !== session.id));
    if (created === 3) return 'refused';
    return created === 1 ? { evicted: held as string[] } : 'exists';
  }

  /**
   * Settles the pending sessions (at these handles) that a capped write found in its way: each is
   * a login across slots whose fate is decided at its old handle. A forwarder naming it there:
   * the rotation happened, and it is confirmed. The old session still live at the version the
   * rotation expects: in flight (or its process died after step 1), so the rotation is finished
   * here, with the very forwarder its own step (2) would write, which then finds it done (see
   * moveOut). Anything else: the rotation failed or will, and the pending session goes (only while
   * unchanged). Forwarders are left for the rotation itself to remove: it is still to look at one.
   */
  async #settle(handles: readonly string[], now: number): Promise<void> {
    for (const handle of handles) {
      const key = this.#keys.session(handle);
      const value = await this.#client.get(key);
      const found = value === null ? undefined : decodeSession(handle, value);
      const pending = found === undefined ? undefined : pendingOf(found.alias);
      if (found === undefined || pending === undefined) continue; // settled meanwhile
      const { oldId, graceUntil } = pending;
      const oldKey = this.#keys.session(oldId);
      const old = await this.#client.get(oldKey);
      // The rotation's own rule for keeping the old handle as an alias: its grace ends after its `now`.
      const keep = (until: number) => (until > found.session.updatedAt ? oldId : '');
      if (old !== null && old.startsWith(ALIAS_MARK) && aliasTarget(old).target === handle) {
        await this.#scripts.sessionApiConfirm(key, found.alias, keep(aliasTarget(old).until), ...this.#confirmEvent(handle, oldId));
        continue;
      }
      const waiting = liveSession(oldId, old, now);
      if (waiting !== undefined && waiting.session.version === found.session.version - 1) {
        // A pending session of an older store keeps no grace: it can only be waited for.
        if (graceUntil === undefined) continue;
        const oldTag = this.#keys.tagOf(oldId);
        const [moved, aliases] = (await this.#scripts.sessionApiMoveOut(
          oldKey,
          this.#keys.ids(oldTag),
          this.#keys.expiry(oldTag),
          oldId,
          now,
          waiting.session.version,
          forwarderValue(handle, graceUntil),
          this.#forwarderPx(graceUntil, found.session.expiresAt, now),
          ...(this.events !== undefined ? [oldTag, graceUntil] : []),
        )) as [string, string[]];
        if (moved !== 'moved') continue; // a write won the race: asked again, it is settled then
        await this.#dropAliases(aliases);
        await this.#scripts.sessionApiConfirm(key, found.alias, keep(graceUntil), ...this.#confirmEvent(handle, oldId));
        continue;
      }
      const [, aliases] = await this.#deleteScript(key, now, '', value as string);
      await this.#dropAliases(aliases);
    }
  }

  /** Step (3) of a rotation across slots: the pending session (`pending`, its alias field) confirmed, a grace-less forwarder gone. */
  async #finish(handle: string, oldId: string, pending: string, grace: boolean, forwarder: string): Promise<void> {
    await this.#scripts.sessionApiConfirm(this.#keys.session(handle), pending, grace ? oldId : '', ...this.#confirmEvent(handle, oldId));
    if (!grace) await this.#scripts.sessionApiDeleteIfUnchanged(this.#keys.session(oldId), forwarder);
  }

  /** The confirm script's arguments for its `session.rotated` (none without events). */
  #confirmEvent(handle: string, oldId: string): readonly string[] {
    return this.events !== undefined ? [this.#keys.tagOf(handle), handle, oldId] : [];
  }

  /**
   * For a pending session (see `rotate`): whether the forwarder at its old handle confirms it,
   * finishing the rotation if so (a crash left it there). `undefined` for any other session.
   */
  #confirmed(handle: string, found: { session: Session; alias: string } | undefined): Promise<{ session: Session; alias: string } | undefined> | undefined {
    const pending = found === undefined ? undefined : pendingOf(found.alias);
    if (found === undefined || pending === undefined) return undefined;
    const { oldId } = pending;
    return this.#call(async () => {
      const value = await this.#client.get(this.#keys.session(oldId));
      if (value === null || !value.startsWith(ALIAS_MARK) || aliasTarget(value).target !== handle) return undefined;
      const { until } = aliasTarget(value);
      // The forwarder names this session: the rotation happened. Its grace is the forwarder's own.
      await this.#finish(handle, oldId, found.alias, until > found.session.updatedAt, value);
      return found;
    });
  }

  /**
   * One script, which applies `applyChange` (a throttled refresh answers the stored value, no
   * SET). A refresh that may be throttled (`touchInterval` > 0) first GETs the session, the
   * cheapest read Redis has, and answers it when the core's `isThrottled` says so: then it
   * costs exactly a get (a script call, with its arguments and header parsing in Lua, costs
   * Redis about five times a GET: bench `touch`). Only a refresh that writes, once per
   * interval, also runs the script, which decides again on what it finds, so a write that came
   * in between is never lost.
   */
  async update(id: string, change: SessionChange, now: number): Promise<Session | 'conflict' | 'missing'> {
    if (change.data === undefined && (change.touchInterval ?? 0) > 0) {
      const current = await this.get(id, now);
      if (current === undefined) return 'missing';
      if (change.expectedVersion !== undefined && current.version !== change.expectedVersion) return 'conflict';
      if (isThrottled(current, change, now)) return current;
    }
    const sent = change.data !== undefined;
    // The data is never '' (a JSON object's text), so '' (or nothing) says a refresh. Trailing
    // arguments left empty are not sent: each costs Redis to read.
    const data = sent ? takeJsonText(change.data) : '';
    const expected = change.expectedVersion ?? '';
    const trailing =
      this.events !== undefined
        ? [data, expected, REASON_CODES[change.cause ?? 'replace']]
        : expected !== ''
          ? [data, expected]
          : sent
            ? [data]
            : [];
    const reply = (await this.#call(() =>
      this.#scripts.sessionApiUpdate(
        this.#keys.session(id),
        now,
        change.slide ? '1' : '0',
        change.absoluteTimeout,
        change.touchInterval ?? 0,
        ...trailing,
      ),
    )) as string;
    if (reply === 'missing' || reply === 'conflict') return reply;
    // The script sends the data back only when the caller did not send it (a refresh, written
    // or throttled: then the value is the one stored, unchanged).
    if (change.data !== undefined) return sessionOf(id, decodeHeader(reply) as NonNullable<ReturnType<typeof decodeHeader>>, change.data);
    return (decodeSession(id, reply) as { session: Session }).session;
  }

  async delete(id: string, now: number, expectedVersion?: number, options: DeleteOptions = {}): Promise<DeleteOutcome> {
    // The caller says the session has an alias (a caller token's own handle). Where the delete
    // script may reach its key too (standalone, or one slot), the script removes it with the
    // session, only when it is the session's own and the session was deleted: one round trip
    // where removing it after the delete's answer took a second. A wrong hint changes nothing but
    // the cost: the aliases the delete answers are removed as ever. No version, no hint: no
    // argument for them (each costs Redis to read).
    const { alias } = options;
    const paired = alias !== undefined && alias !== id && (!this.#client.isCluster || this.#keys.tagOf(alias) === this.#keys.tagOf(id));
    const version = expectedVersion ?? '';
    const rest = paired ? [version, '', this.#keys.session(alias), alias] : version === '' ? [] : [version];
    return this.#call(async () => {
      const [outcome, aliases] = await this.#deleteScript(this.#keys.session(id), now, ...rest);
      await this.#dropAliases(aliases);
      return outcome;
    });
  }

  /** The delete script (see session-scripts.ts): its outcome, and the aliases of what it removed. */
  async #deleteScript(...args: (string | number)[]): Promise<[DeleteOutcome, string[]]> {
    const reply = (await this.#scripts.sessionApiDelete(...args)) as DeleteOutcome | [DeleteOutcome, string[]];
    // A bare outcome when there are no aliases to remove (the common case: a smaller reply).
    return typeof reply === 'string' ? [reply, []] : reply;
  }

  async list(page: PageRequest, now: number): Promise<Page> {
    let { partition, after } = page.cursor === undefined ? { partition: 0, after: '' } : this.#positions.decode(page.cursor);
    const sessions: Session[] = [];
    let bytes = 0;
    // Partition by partition, each call bounded by what is left of the page: O(page) in Redis
    // however many sessions are stored, expired or not.
    while (partition < this.#keys.partitions) {
      const tag = this.#keys.tags[partition] as string;
      const part = await this.#page(tag, after === '' ? '-' : `(${after}`, '+', page, sessions.length, bytes, now);
      sessions.push(...part.sessions);
      bytes += part.bytes;
      if (!part.done) {
        return { sessions, nextCursor: this.#positions.encode(partition, part.last === '' ? after : part.last) };
      }
      partition += 1;
      after = '';
      if (sessions.length === page.limit) break;
    }
    return { sessions, nextCursor: partition < this.#keys.partitions ? this.#positions.encode(partition, '') : null };
  }

  async listByUser(userId: string, page: PageRequest, now: number): Promise<Page> {
    const after = page.cursor === undefined ? undefined : this.#positions.decodeUser(page.cursor, userId);
    const tag = await this.#userTag(userId);
    const range = userRange(userId);
    const from = after === undefined ? `[${range.from}` : `(${indexMember(userId, after)}`;
    const part = await this.#page(tag, from, `(${range.to}`, page, 0, 0, now);
    if (part.done) return { sessions: part.sessions, nextCursor: null };
    const last = part.last === '' ? after : part.last.slice(range.from.length);
    return { sessions: part.sessions, nextCursor: last === undefined ? null : this.#positions.encodeUser(userId, last) };
  }

  async deleteByUser(userId: string, now: number, except?: string): Promise<number> {
    const tag = await this.#userTag(userId);
    const range = userRange(userId);
    const keep = except === undefined ? '' : indexMember(userId, except);
    let live = 0;
    // In batches, each one short script, so a user with 50,000 sessions never blocks Redis.
    for (;;) {
      const [count, done, aliases] = (await this.#call(() =>
        this.#scripts.sessionApiDeleteRange(this.#keys.ids(tag), tag, now, `[${range.from}`, `(${range.to}`, this.#deleteBatch, keep),
      )) as [number, number, string[]];
      await this.#call(() => this.#dropAliases(aliases));
      live += count;
      if (done === 1) return live;
    }
  }

  async countByUser(userId: string, now: number): Promise<number> {
    const tag = await this.#userTag(userId);
    const range = userRange(userId);
    let live = 0;
    // In batches, as deleteByUser: read-only scripts of at most `countBatch` lookups each.
    for (let from = `[${range.from}`; ; ) {
      const [count, last] = (await this.#call(() =>
        this.#scripts.sessionApiCountRange(this.#keys.ids(tag), tag, now, from, `(${range.to}`, this.#countBatch),
      )) as [number, string];
      live += count;
      if (last === '') return live;
      from = `(${last}`;
    }
  }

  async ping(): Promise<void> {
    const client = this.#client;
    await this.#call(async () => {
      // A cluster is ready when every master answers; before it has connected it knows none.
      // Masters can answer while the client has not loaded the slots yet: it then refuses every
      // command ("Cluster isn't ready"), so it is not ready either ('wait': a lazy client that
      // this ping connects).
      if (client.isCluster && client.status !== 'ready' && client.status !== 'wait') {
        throw new Error(`Cluster isn't ready (${client.status})`);
      }
      const masters = client.isCluster ? (client as Cluster).nodes('master') : [];
      await (masters.length > 0 ? Promise.all(masters.map((node) => node.ping())) : client.ping());
    });
  }

  /**
   * One partition's part of a page: the index members of the range (at most what is left of the
   * page plus `scanSlack`), their values in one MGET (same slot), filtered by `now` here. Plain
   * commands rather than a script: Lua parsing each value cost Redis about four times as much
   * (a page of 1,000: 6-9 ms against 1.4-2.2 ms, bench). Dead entries met are reclaimed by short
   * scripts afterwards (see #reclaimDead), so a backlog is walked at most `limit + scanSlack` entries a call.
   * `last` is the last member examined; nothing after it was.
   */
  async #page(
    tag: string,
    from: string,
    to: string,
    page: PageRequest,
    held: number,
    heldBytes: number,
    now: number,
  ): Promise<{ sessions: Session[]; bytes: number; last: string; done: boolean }> {
    const want = page.limit - held;
    const maxBytes = (page.maxBytes ?? PAGE_MAX_BYTES_DEFAULT) - heldBytes;
    const scan = want + this.#scanSlack;
    const members = await this.#call(() => this.#client.zrangebylex(this.#keys.ids(tag), from, to, 'LIMIT', 0, scan + 1));
    const examined = members.slice(0, scan);
    const values = examined.length === 0 ? [] : await this.#call(() => this.#client.mget(...examined.map((m) => tag + handleOfMember(m))));
    const sessions: Session[] = [];
    const dead: string[] = [];
    let bytes = 0;
    let last = '';
    let done = members.length <= scan;
    for (let i = 0; i < examined.length; i++) {
      const member = examined[i] as string;
      const value = values[i] ?? null;
      const header = value === null ? undefined : decodeHeader(value);
      if (header === undefined || Number(header.fields.expiresAt) <= now) {
        dead.push(member);
        last = member;
        continue;
      }
      // A rotation across slots in flight (or cut short by a crash): not listed until confirmed.
      if (header.fields.alias.startsWith(PENDING_MARK)) {
        last = member;
        continue;
      }
      const json = (value as string).slice(header.dataStart);
      const size = Buffer.byteLength(json, 'utf8');
      if (sessions.length === want || (held + sessions.length > 0 && bytes + size > maxBytes)) {
        done = false;
        break;
      }
      sessions.push(sessionOf(handleOfMember(member), header, JSON.parse(json)));
      bytes += size;
      last = member;
    }
    await this.#reclaimDead(tag, dead, now);
    return { sessions, bytes, last, done };
  }

  /**
   * Removes the dead index entries a listing met (those still dead), `deleteBatch` a script, one
   * after another, so other clients' commands run between them: a page over an expired backlog
   * meets up to `limit + scanSlack` (1,064), which in one script blocked Redis for 18-30 ms. The
   * first script also reclaims the store's budget of expired sessions besides.
   */
  async #reclaimDead(tag: string, dead: readonly string[], now: number): Promise<void> {
    for (let i = 0; i < dead.length; i += this.#deleteBatch) {
      const budget = i === 0 ? this.#reclaimBudget : 0;
      const batch = dead.slice(i, i + this.#deleteBatch);
      const aliases = (await this.#call(() => this.#scripts.sessionApiReclaim(this.#keys.ids(tag), tag, now, budget, ...batch))) as string[];
      await this.#call(() => this.#dropAliases(aliases));
    }
  }

  async #userTag(userId: string): Promise<string> {
    return this.#keys.tags[this.#keys.partitionOfHome(await userHome(userId, this.#sha256))] as string;
  }

  /**
   * For a create at `handle` with `alias`: claims the alias while the handle is free, then writes
   * (`write`: the create script; with a key, the claimed variant); undefined when the alias or the
   * handle is taken. A handle already taken must not hold the alias even for a moment (a racing
   * create with the same alias would be refused for nothing). Standalone, the claim script checks
   * the handle itself, and the create goes with it: one round trip. In a cluster (two slots) a
   * GET first, then the claim, then the create.
   */
  async #claimThenWrite(
    alias: string,
    handle: string,
    now: number,
    write: (claimed?: string) => Promise<CreateReply>,
  ): Promise<CreateReply | undefined> {
    if (this.#client.isCluster) return (await this.#claimAliasAcrossSlots(alias, handle, now)) ? write() : undefined;
    // Standalone: the claim and the create in one script (createClaimed); when it claims nothing,
    // its answer is followed up as the claim's alone would be, and the create comes after.
    const first = await write(this.#keys.session(alias));
    if (first[0] !== CLAIM_NOT_HELD) return first;
    return (await this.#afterClaim(first[2] as ClaimReply, alias, handle, now)) ? write() : undefined;
  }

  /** The claim in a cluster: the handle looked at first (a GET: it is in another slot), then the claim. */
  async #claimAliasAcrossSlots(alias: string, handle: string, now: number): Promise<boolean> {
    const key = this.#keys.session(handle);
    const own = await this.#client.get(key);
    const taken =
      own !== null &&
      (own.startsWith(ALIAS_MARK) ? !(await this.#reclaimAliasOwner(handle, own, now, false)) : liveSession(handle, own, now) !== undefined);
    return !taken && this.#claimAlias(alias, handle, now);
  }

  /**
   * Makes `alias` name `handle` unless a live session holds it, as its handle or as its alias. An
   * alias left by a session that is gone (a crash between two commands) is taken over.
   */
  async #claimAlias(alias: string, handle: string, now: number): Promise<boolean> {
    const reply = (await this.#scripts.sessionApiClaimAlias(this.#keys.session(alias), now, ALIAS_MARK + handle)) as ClaimReply;
    return this.#afterClaim(reply, alias, handle, now);
  }

  /** What a claim's answer means: true when `alias` names `handle`, after whatever it took to make it so. */
  async #afterClaim([claimed, found]: ClaimReply, alias: string, handle: string, now: number): Promise<boolean> {
    const key = this.#keys.session(alias);
    const value = ALIAS_MARK + handle;
    if (claimed === 3) {
      // The handle holds another session's alias: free once that session is over; then claimed as before.
      return (await this.#reclaimAliasOwner(handle, found as string, now, false)) && this.#claimAlias(alias, handle, now);
    }
    if (claimed === 1) {
      await this.#dropAliases((found as string[]).filter((name) => name !== alias));
      return true;
    }
    if (claimed === 0) return false;
    if (!(await this.#reclaimAliasOwner(alias, found as string, now, true))) return false;
    return (await this.#scripts.sessionApiReplaceIfUnchanged(key, found as string, value)) === 1;
  }

  /**
   * `held`, the value at `name`, is an alias. When the session it names is over, removes that
   * session and answers true; the alias goes with it, unless `keep` (the caller replaces it).
   * It stays taken while its session lives, or is not written yet (a create in flight writes the
   * alias first), or is gone without a trace (a crash between the two: the token stays taken
   * rather than risk taking over a create in flight).
   */
  async #reclaimAliasOwner(name: string, held: string, now: number, keep: boolean): Promise<boolean> {
    const { target } = aliasTarget(held);
    const stored = await this.#client.get(this.#keys.session(target));
    const owner = stored === null ? undefined : decodeSession(target, stored);
    if (owner === undefined || owner.alias !== name || isLive(owner.session, now)) return false;
    const targetTag = this.#keys.tagOf(target);
    const member = indexMember(owner.session.userId, target);
    const dropped = (await this.#scripts.sessionApiReclaim(this.#keys.ids(targetTag), targetTag, now, 0, member)) as string[];
    await this.#dropAliases(keep ? dropped.filter((alias) => alias !== name) : dropped);
    return true;
  }

  /** Deletes the aliases of removed sessions: each lives in its own handle's slot. */
  async #dropAliases(aliases: readonly string[]): Promise<void> {
    // A pending session's `?<old handle>` names a key that may still hold the live old session: never deleted here.
    const owned = aliases.filter((alias) => !alias.startsWith(PENDING_MARK));
    if (owned.length > 0) await Promise.all(owned.map((alias) => this.#scripts.sessionApiDropAlias(this.#keys.session(alias))));
  }

  async #call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw toStoreError(error);
    }
  }
}
