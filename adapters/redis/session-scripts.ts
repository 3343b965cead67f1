import { eventCode, fieldLocals, headerOf, luaScript, reasonLetter, typeLetter, type EventScripting } from './lua-prelude.js';

/**
 * The stored field `evict-idlest` ranks by: what core/session-limit.ts's `lastActivityOf` reads
 * (`updatedAt` until sessions carry `lastActiveAt`; change both together).
 */
const ACTIVITY_FIELD = 'lastActiveAt';

/**
 * The Lua scripts behind the store. Each runs atomically and touches ONE partition (`tag` is
 * `<prefix>{<p>}`, see key-layout.ts): declared keys are that partition's, and keys a script
 * learns from an index (a member's session) are built from the tag, so they share its slot.
 * Times are the core's epoch ms, passed in; a script never reads Redis's clock.
 *
 * Scripts that remove sessions answer the aliases of what they removed: an alias lives in its own
 * handle's slot, so the store deletes it with a second command.
 */

/** A script as ioredis `defineCommand` takes it. */
export interface ScriptDefinition {
  readonly lua: string;
  readonly numberOfKeys: number;
}

/**
 * A store's settings the hottest scripts (create, update) are built with, rather than sent them
 * on every call: each argument costs Redis about 0.2 µs to read (bench), a tenth of a GET. The
 * store names its scripts by them (see defineScripts), so stores of other settings share a client.
 */
export interface ScriptTuning {
  readonly graceMs: number;
  readonly expiryStepMs: number;
  readonly reclaimBudget: number;
}

/**
 * The settings of a store given none (`RedisSessionStoreOptions`' defaults): a grace of 60 s, four
 * reclaimed per create, and an index step of 1 s, or 1 ms with events (a sweep then claims each
 * session at its deadline, as the event log's contract says).
 */
export function defaultScriptTuning(events: boolean): ScriptTuning {
  return { graceMs: 60_000, expiryStepMs: events ? 1 : 1000, reclaimBudget: 4 };
}

/** The part of a script's command name that tells its settings apart. */
export function tuningName(tuning: ScriptTuning): string {
  return `G${tuning.graceMs}S${tuning.expiryStepMs}B${tuning.reclaimBudget}`;
}

/**
 * The scripts, built with the code that records events (`events`, see event-entry.ts) or without
 * any: a store that records none runs exactly the scripts it ran before events existed.
 * Each event is appended by the script that makes its change, so it is recorded iff the change
 * happened, in the stream of the session's partition: so one session's events are in one stream,
 * in order. A rotation across Cluster slots records the old session's `session.deleted` where it
 * happens (moveOut) and the new one's `session.rotated` when it is confirmed (confirm), before
 * any reader takes it for live.
 */
export function sessionScripts(events: EventScripting | undefined, tuning: ScriptTuning) {
  const ev = eventCode(events);
  const { graceMs, expiryStepMs, reclaimBudget } = tuning;
  const script = (numberOfKeys: number, body: string, fast?: string): ScriptDefinition => ({ numberOfKeys, lua: luaScript(events, body, fast) });

  /**
   * The session cap, for a create and a rotation alike: `capped(tag, ids, from, to, max, policy,
   * skip, now, aliases)` reads the user's range (the user's sessions share the partition, so the
   * count and the evictions are in the caller's one script) but `skip` (a rotation's old
   * session), once it holds as many entries as `max` (fewer: it fits, unread): expired ones go, live ones count, and past the cap the first in core/session-limit.ts's
   * eviction order go too. Answers 'fits' | 'evicted', their handles | 'refused' (nothing removed but
   * expired sessions) | 'pending', handles: a pending session (a login across cluster slots in
   * flight) counts, so two logins cannot both pass, but is never evicted nor refused for: whether it
   * becomes live is decided in another slot, so the caller settles those first and asks again.
   */
  const CAP = `
local function capped(tag, ids, from, to, max, policy, skip, now, aliases)
  -- Fewer entries in the user's range than the cap (the live are fewer still): it fits, and
  -- nothing is read, so a capped create of a user under the cap costs O(log n), not O(range).
  if redis.call('ZLEXCOUNT', ids, from, to) < tonumber(max) then return 'fits', {} end
  local live, pending = {}, {}
  for i, member in ipairs(redis.call('ZRANGEBYLEX', ids, from, to)) do
    if member ~= skip then
      local f = liveOrDrop(tag, member, now, aliases)
      -- The range is in byte order of members, so of handles: i breaks ties as the core's order does.
      if f then
        live[#live + 1] = { member = member, f = f, i = i }
        if string.sub(f[F.alias], 1, 1) == PENDING then pending[#pending + 1] = handleOf(member) end
      end
    end
  end
  local excess = #live + 1 - tonumber(max)
  if excess <= 0 then return 'fits', {} end
  if #pending > 0 then return 'pending', pending end
  if policy == 'reject' then return 'refused', {} end
  local field = F.createdAt
  if policy == 'evict-idlest' then field = F.${ACTIVITY_FIELD} end
  table.sort(live, function(a, b)
    local x, y = tonumber(a.f[field]), tonumber(b.f[field])
    if x ~= y then return x < y end
    return a.i < b.i
  end)
  local evicted = {}
  for k = 1, excess do
    drop(tag, live[k].member, live[k].f, aliases, now, ${reasonLetter('evicted')})
    evicted[k] = handleOf(live[k].member)
  end
  return 'evicted', evicted
end
`;

  /**
   * `claim(key, now, value, checked)`: makes the alias at `key` hold `value` (the alias mark and
   * the handle it names) unless a live session holds that key; an expired one goes. Answers
   * { 1 claimed, aliases } | { 0 taken } | { 2, value } when another alias holds it: only the
   * caller can look at that alias's session. With `checked`, the key of the session to be created
   * with it (standalone Redis only, where a script may read any key): { 0 } too when a live
   * session holds it, { 3, value } when an alias does (the caller looks at its session), and
   * nothing is claimed then.
   */
  const CLAIM = `
local function claim(key, now, value, checked)
  if checked ~= '' then
    local own = redis.call('GET', checked)
    if own then
      local g = header(own)
      if not g then return { 3, own } end
      if tonumber(g[F.expiresAt]) > now then return { 0, {} } end
    end
  end
  local v = redis.call('GET', key)
  local aliases = {}
  if v then
    local f = header(v)
    if not f then return { 2, v } end
    if tonumber(f[F.expiresAt]) > now then return { 0, aliases } end
    local tag, handle = tagAndHandle(key)
    drop(tag, memberOf(f[F.userId], handle), f, aliases, now, true)
  end
  redis.call('SET', key, value)
  return { 1, aliases }
end`;

  /** What every create that wrote its session does next: its two index entries, and its event. */
  const INDEX = `redis.call('ZADD', KEYS[2], 0, ARGV[3])
redis.call('ZADD', KEYS[3], num(expiryScore(tonumber(ARGV[4]), ${expiryStepMs})), ARGV[3])
${ev(`if ARGV[11] ~= '0' then sessionEvent(ARGV[1], now, ${typeLetter('session.created')}, handleOf(ARGV[3]), header(ARGV[5]), {}) end`)}`;
  /**
   * The end of a create's fast part (see create): INDEX, and the bare answer, as nothing was
   * reclaimed nor evicted; `now` is read only for the event.
   */
  const CREATED = `${ev('local now = tonumber(ARGV[2])')}
${INDEX}
return 1`;
  /** The end of every create that wrote its session: INDEX, then the answer. */
  const INDEXED = `${INDEX}
if #aliases == 0 and #evicted == 0 then return 1 end
return { 1, aliases, evicted }`;

  /**
   * KEYS: session, ids, exp. ARGV: tag, now, member, expiresAt, value, PX ('' none), then for a
   * capped create: the most live sessions ('' or absent: no cap), the policy, and the user's range
   * (from, to; BYLEX), then whether to record `session.created` ('0' for a rotation's pending
   * session: its rotation records it). Built with the reclaim budget and the index step.
   * Reclaims a few expired sessions of the partition first (so expiry is paid for by writes), then
   * writes the session unless its key is taken, within the cap (see CAP). Without a cap, the
   * common case, the write comes first (`SET NX`) and only a key it finds taken is looked at;
   * under a cap the key is looked at first, since the cap decides before anything is written.
   * Answers { 1 created, aliases, evicted handles } (just 1 when both are empty, the common case:
   * a smaller reply) | { 0 taken, aliases } | { 3 refused, aliases } | { 4, aliases, pending
   * handles } (see CAP) or { 2, aliases, value } when an alias holds the key: only the caller can
   * look at its session.
   */
  const CREATE = (aliases: string, due?: string): string => {
    // `due`, when given: a Lua value saying what the caller's count found (false: nothing due; nil: not counted).
    const reclaiming =
      due === undefined
        ? `reclaim(ARGV[1], now, ${reclaimBudget}, aliases)`
        : `if ${due} ~= false then reclaim(ARGV[1], now, ${reclaimBudget}, aliases, ${due}) end`;
    return `
local aliases, evicted = ${aliases}, {}
local now = tonumber(ARGV[2])
${reclaiming}
local max = ARGV[7] or ''
local written = false
if max == '' then
  if ARGV[6] == '' then written = redis.call('SET', KEYS[1], ARGV[5], 'NX')
  else written = redis.call('SET', KEYS[1], ARGV[5], 'NX', 'PX', ARGV[6]) end
end
if not written then
  local cur = redis.call('GET', KEYS[1])
  if cur then
    -- An expired session left at the handle goes, with what it put in the partition.
    local f = header(cur)
    if not f then return { 2, aliases, cur } end
    if tonumber(f[F.expiresAt]) > now then return { 0, aliases } end
    drop(ARGV[1], memberOf(f[F.userId], handleOf(ARGV[3])), f, aliases, now, true)
  end
  if max ~= '' then
    local verdict
    verdict, evicted = capped(ARGV[1], KEYS[2], ARGV[9], ARGV[10], max, ARGV[8], '', now, aliases)
    if verdict == 'refused' then return { 3, aliases } end
    if verdict == 'pending' then return { 4, aliases, evicted } end
  end
  if ARGV[6] == '' then redis.call('SET', KEYS[1], ARGV[5]) else redis.call('SET', KEYS[1], ARGV[5], 'PX', ARGV[6]) end
end
${INDEXED}`;
  };
  // Whether anything in the partition is due for reclaiming (one ZCOUNT, by `now` as the caller
  // sent it: a number's text). When nothing is, reclaiming would do nothing, so the write may come
  // first (see createClaimed below).
  const someDue = reclaimBudget > 0 ? `redis.call('ZCOUNT', KEYS[3], '-inf', ARGV[2]) > 0` : 'false';
  /**
   * The common create (no cap, a lifetime, nothing due, the key free) answers before the helpers
   * only the other cases use are defined (see luaScript): those run as CREATE always did, told what
   * the count found, so it is not made twice. A key found taken with nothing due costs its
   * `SET NX` twice (here, then in CREATE), which with reclaiming on only a live session or an alias
   * there can cost (an expired session's index entry would be due: its score is at or before its
   * deadline).
   */
  const create = script(
    3,
    CAP + CREATE('{}', 'due'),
    `
local due
if (ARGV[7] or '') == '' and ARGV[6] ~= '' then
  due = ${someDue}
  if not due and redis.call('SET', KEYS[1], ARGV[5], 'NX', 'PX', ARGV[6]) then
    ${CREATED}
  end
end`,
  );

  /**
   * As create, with a fourth key: the alias the session is created with (standalone Redis only,
   * where a script may touch any key). Claims it first (CLAIM, checking the session's key): when
   * that claims nothing, leaves nothing written and answers { 5, the claim's answer }; else
   * creates as create does, the claim's reclaimed aliases among its own. A create with an alias in
   * one round trip.
   *
   * Without a cap, and when nothing in the partition is due for reclaiming (one ZCOUNT, the one
   * the create's reclaiming would make: it then does nothing, so writing before it changes
   * nothing), the writes come first: the session and then its alias, each with `SET NX`, which is
   * the look at each key too. Both keys free (a framework's first save of a session, while its
   * partition has nothing due) is then the whole create: five commands where the claim and the
   * create take seven. When either key is taken, what the first wrote is deleted again and the
   * claim decides, as it always did; that undone write is within the script, so no client sees
   * it, but keyspace notifications, WATCH and the AOF see a SET and a DEL of the session's key.
   * With something due, the claim and the create run as before, and the reclaiming does not count
   * again: writing after reclaiming could find the alias of a session just dropped, its removal
   * the caller's, still in the way. In a partition whose sessions expire about as often as new
   * ones come (or whose refreshed sessions' old scores have passed: the index is lazy), a share of
   * creates find something due and take that path.
   */
  const createClaimed = script(
    4,
    CAP +
      CLAIM +
      `
local claimed = claim(KEYS[4], tonumber(ARGV[2]), ALIAS .. handleOf(ARGV[3]), KEYS[1])
if claimed[1] ~= 1 then return { 5, claimed[1], claimed[2] } end` +
      CREATE('claimed[2]', 'due'),
    `
local due
if (ARGV[7] or '') == '' and ARGV[6] == '' then
  due = ${someDue}
  if not due and redis.call('SET', KEYS[1], ARGV[5], 'NX') then
    if redis.call('SET', KEYS[4], ALIAS .. handleOf(ARGV[3]), 'NX') then
      ${CREATED}
    end
    redis.call('DEL', KEYS[1])
  end
end`,
  );

  /**
   * KEYS: session. ARGV: now, slide ('1'/'0'), absoluteTimeout, touch interval (ms, 0 none), data
   * JSON ('' or absent: a refresh; JSON is never empty), expected version ('' or absent: any),
   * then (events only, all before it sent) the reason letter of a write with data. Built with the
   * grace and the index step; the tag and handle, needed only to score the index again or record
   * an event, are read from the key.
   * core/session-change.ts applyChange, in Lua: a throttled refresh (no data, now - lastActiveAt
   * below the interval and below half the ttl: isThrottled) answers the stored value as it is,
   * after one GET and no write; otherwise version + 1, updatedAt = now, lastActiveAt = now for a
   * refresh, expiresAt = min(slide ? max(e, now + ttl) : e, createdAt + absoluteTimeout). Answers
   * 'missing', 'conflict', or the new stored value: without its data when the caller sent the data
   * (it has it). The expiry index is lazy (see rescoreOrDrop in lua-prelude.ts): a deadline that
   * moves later keeps its score, so a write is a GET and a SET; only one that moves earlier (the
   * absolute timeout clamping it) is scored again.
   */
  const update = script(1, `
local v = redis.call('GET', KEYS[1])
if not v or string.sub(v, 1, 1) == ALIAS then return 'missing' end
-- The fields as locals (no table), and the value written as one concatenation of them.
local ${fieldLocals}, at = string.match(v, HEADER)
local now = tonumber(ARGV[1])
local e = tonumber(expiresAt)
if e <= now then return 'missing' end
local expected = ARGV[6] or ''
if expected ~= '' and tonumber(version) ~= tonumber(expected) then return 'conflict' end
local data = ARGV[5] or ''
local sent = data ~= ''
if not sent then
  local touch = tonumber(ARGV[4])
  if touch > 0 then
    local since = now - tonumber(lastActiveAt)
    if since < touch and 2 * since < tonumber(ttl) then return v end
  end
  -- now as the caller sent it: the core's integer ms, so the text num(now) would write.
  lastActiveAt = ARGV[1]
end
local ne = e
if ARGV[2] == '1' then ne = math.max(e, now + tonumber(ttl)) end
ne = math.min(ne, tonumber(createdAt) + tonumber(ARGV[3]))
local deadline = expiresAt
if ne ~= e then deadline = num(ne) end
local nextVersion = num(version + 1)
local head = ${headerOf({ version: 'nextVersion', updatedAt: 'ARGV[1]', expiresAt: 'deadline' })}
local value
if sent then value = head .. data else value = head .. string.sub(v, at) end
if alias == '' then
  redis.call('SET', KEYS[1], value, 'PX', num(math.max(ne - now + ${graceMs}, 1)))
else
  redis.call('SET', KEYS[1], value)
end
-- A score is at or before its deadline's: one moved earlier is scored again, one moved later is not.
if ne < e then
  local tag, handle = tagAndHandle(KEYS[1])
  redis.call('ZADD', expKey(tag), num(expiryScore(ne, ${expiryStepMs})), memberOf(userId, handle))
end
${ev(`local tag, handle = tagAndHandle(KEYS[1])
local f = { [F.version] = nextVersion, [F.userId] = userId }
if sent then sessionEvent(tag, now, ${typeLetter('session.updated')}, handle, f, { EF.reason, ARGV[7] })
elseif ne ~= e then sessionEvent(tag, now, ${typeLetter('session.refreshed')}, handle, f, {}) end`)}
if sent then return head end
return value`);

  /**
   * KEYS: session. ARGV: now, expected version ('' or absent: any), the value it must hold ('' or
   * absent: any), then, when the caller named the session's alias and its key may be reached
   * from here (standalone Redis, or the same slot), that alias's key and handle. Removes the live
   * session (at the expected version, holding that value): a logout, or with a value a rotation's
   * pending session that did not happen (no event); the named alias goes with it when it is the
   * session's own and still names it (so only after this delete: never the alias of a create in
   * flight, whose session is not written yet). The tag and handle are read from the key (fewer
   * arguments to send). Answers { 'deleted', aliases left to remove }, or the bare outcome
   * ('deleted' | 'conflict' | 'missing') when there are none (a smaller reply).
   */
  const remove = script(1, `
local v = redis.call('GET', KEYS[1])
local f = v and header(v)
local now = tonumber(ARGV[1])
if not f or tonumber(f[F.expiresAt]) <= now then return 'missing' end
local expected, held = ARGV[2] or '', ARGV[3] or ''
if expected ~= '' and tonumber(f[F.version]) ~= tonumber(expected) then return 'conflict' end
if held ~= '' and v ~= held then return 'conflict' end
local aliases = {}
local why = ${reasonLetter('logout')}
if held ~= '' then why = nil end
local tag, handle = tagAndHandle(KEYS[1])
drop(tag, memberOf(f[F.userId], handle), f, aliases, now, why)
if ARGV[5] and ARGV[5] ~= '' and f[F.alias] == ARGV[5] then
  if redis.call('GET', ARGV[4]) == ALIAS .. handle then redis.call('DEL', ARGV[4]) end
  aliases = {}
end
if #aliases == 0 then return 'deleted' end
return { 'deleted', aliases }`);

  /**
   * KEYS: ids. ARGV: tag, now, reclaim budget, then index members a listing found dead (no
   * session, an expired one). Removes each that is still dead, and up to the budget of expired
   * sessions besides (scoring again the live ones it meets: see rescoreOrDrop). Answers the
   * aliases of what it removed.
   */
  const reclaimMembers = script(1, `
local tag, now, aliases = ARGV[1], tonumber(ARGV[2]), {}
for i = 4, #ARGV do liveOrDrop(tag, ARGV[i], now, aliases) end
reclaim(tag, now, ARGV[3], aliases)
return aliases`);

  /**
   * KEYS: ids. ARGV: tag, now, from, to, batch, the member to keep ('' none). Removes up to
   * `batch` sessions of the range (one user's), never the one kept. Answers { how many were live,
   * 1 when nothing but the kept one is left in the range, aliases }.
   */
  const removeRange = script(1, `
local tag, now, batch, keep = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[5]), ARGV[6]
local members = redis.call('ZRANGEBYLEX', KEYS[1], ARGV[3], ARGV[4], 'LIMIT', 0, batch + 2)
local live, aliases, done, taken = 0, {}, 1, 0
local reason = ${reasonLetter('logout-everywhere')}
if keep ~= '' then reason = ${reasonLetter('logout-others')} end
for _, member in ipairs(members) do
  if member ~= keep then
    if taken == batch then done = 0 break end
    taken = taken + 1
    local v = redis.call('GET', tag .. handleOf(member))
    local f = v and header(v)
    if f and tonumber(f[F.expiresAt]) > now then
      live = live + 1
      drop(tag, member, f, aliases, now, reason)
    else
      drop(tag, member, f, aliases, now, true)
    end
  end
end
return { live, done, aliases }`);

  /**
   * KEYS: ids. ARGV: tag, now, from, to, batch. Counts the live sessions among the first `batch`
   * members of the range; writes nothing. Answers { live, the last member read, or '' at the end }.
   */
  const countRange = script(1, `
local tag, now, batch = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[5])
local members = redis.call('ZRANGEBYLEX', KEYS[1], ARGV[3], ARGV[4], 'LIMIT', 0, batch)
local live = 0
for _, member in ipairs(members) do
  local v = redis.call('GET', tag .. handleOf(member))
  local f = v and header(v)
  if f and tonumber(f[F.expiresAt]) > now then live = live + 1 end
end
if #members < batch then return { live, '' } end
return { live, members[#members] }`);

  /** KEYS: the alias's key. ARGV: now, alias value. The claim (see CLAIM) on its own, without a session key. */
  const claimAlias = script(1, CLAIM + `
return claim(KEYS[1], tonumber(ARGV[1]), ARGV[2], '')`);

  /**
   * A rotation's two events, each in its own handle's stream, so that each session's events are
   * in one stream, in order: `session.deleted` (reason `rotated`, the end of its grace) of the old
   * session (fields `f`), and `session.rotated` of the new one (fields `g`) naming the old handle.
   */
  const ROTATION_EVENTS = ev(`
local function rotatedAway(tag, now, oldId, f, graceUntil)
  sessionEvent(tag, now, ET.deleted, oldId, f, { EF.reason, ${reasonLetter('rotated')}, EF.graceUntil, graceUntil })
end
local function rotatedInto(tag, now, handle, g, oldId)
  sessionEvent(tag, now, ${typeLetter('session.rotated')}, handle, g, { EF.previousId, oldId })
end
`);

  /**
   * KEYS: old session, new session, old ids, old exp, new ids, new exp. ARGV: old tag, new tag,
   * now, expected version, old handle, new member, new value, forwarder value ('' none), forwarder
   * PX, new expiresAt, expiry index granularity (ms), then for a capped login as for a capped
   * create: the most live sessions ('' no cap), the policy, the user's range (from, to), then the
   * end of the grace (events only). A rotation
   * in ONE script (one slot, or standalone Redis): while the old session is live at the expected
   * version, the new handle is free and the user's cap allows it (the user's other sessions, the old
   * one not counted: see CAP), the evicted go, the old session leaves its partition (its key
   * becomes the forwarder, or goes) and the new one is written. Answers { 'rotated', aliases,
   * evicted } | { 'missing' | 'conflict' | 'exists' | 'refused', aliases } | { 'pending', aliases,
   * handles } (see CAP) or { 'alias', aliases, value } when an alias holds the new handle: only the
   * caller can look at it.
   */
  const rotate = script(6, CAP + ROTATION_EVENTS + `
local now = tonumber(ARGV[3])
local v = redis.call('GET', KEYS[1])
local f = v and header(v)
if not f or tonumber(f[F.expiresAt]) <= now then return { 'missing', {} } end
if tonumber(f[F.version]) ~= tonumber(ARGV[4]) then return { 'conflict', {} } end
local aliases = {}
local cur = redis.call('GET', KEYS[2])
if cur then
  local g = header(cur)
  if not g then return { 'alias', aliases, cur } end
  if tonumber(g[F.expiresAt]) > now then return { 'exists', aliases } end
  drop(ARGV[2], memberOf(g[F.userId], handleOf(ARGV[6])), g, aliases, now, true)
end
local old = memberOf(f[F.userId], ARGV[5])
local evicted = {}
if ARGV[12] ~= '' then
  local verdict
  verdict, evicted = capped(ARGV[2], KEYS[5], ARGV[14], ARGV[15], ARGV[12], ARGV[13], old, now, aliases)
  if verdict == 'refused' then return { 'refused', aliases } end
  if verdict == 'pending' then return { 'pending', aliases, evicted } end
end
redis.call('ZREM', KEYS[3], old)
redis.call('ZREM', KEYS[4], old)
if f[F.alias] ~= '' then aliases[#aliases + 1] = f[F.alias] end
if ARGV[8] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[8], 'PX', ARGV[9]) end
redis.call('SET', KEYS[2], ARGV[7])
redis.call('ZADD', KEYS[5], 0, ARGV[6])
redis.call('ZADD', KEYS[6], num(expiryScore(tonumber(ARGV[10]), tonumber(ARGV[11]))), ARGV[6])
${ev(`rotatedAway(ARGV[1], now, ARGV[5], f, ARGV[16])
rotatedInto(ARGV[2], now, handleOf(ARGV[6]), header(ARGV[7]), ARGV[5])`)}
return { 'rotated', aliases, evicted }`);

  /**
   * KEYS: old session, old ids, old exp. ARGV: old handle, now, expected version, forwarder value,
   * forwarder PX, tag, end of grace (these two for events only: the old session's
   * `session.deleted`; the new one's `session.rotated` is confirm's). The linearization point of a rotation across slots: while the old session is live
   * at the expected version, its key becomes the forwarder that confirms the pending new session,
   * and it leaves its partition. Already that forwarder is 'moved' too: a capped create that found
   * the pending session in its way finished the rotation for it (RedisSessionStore #settle).
   * Answers { 'moved' | 'missing' | 'conflict', aliases }.
   */
  const moveOut = script(3, ROTATION_EVENTS + `
local v = redis.call('GET', KEYS[1])
if v == ARGV[4] then return { 'moved', {} } end
local f = v and header(v)
if not f or tonumber(f[F.expiresAt]) <= tonumber(ARGV[2]) then return { 'missing', {} } end
if tonumber(f[F.version]) ~= tonumber(ARGV[3]) then return { 'conflict', {} } end
local old = memberOf(f[F.userId], ARGV[1])
redis.call('ZREM', KEYS[2], old)
redis.call('ZREM', KEYS[3], old)
redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5])
${ev(`rotatedAway(ARGV[6], tonumber(ARGV[2]), ARGV[1], f, ARGV[7])`)}
if f[F.alias] ~= '' then return { 'moved', { f[F.alias] } } end
return { 'moved', {} }`);

  /**
   * KEYS: a session. ARGV: the alias field it must hold (pending), the one to set, then (events
   * only) its tag, its handle and the old handle. Confirms a pending session (see moveOut), and
   * records its `session.rotated`, at the rotation's time (its `updatedAt`: a confirmation after a
   * crash comes later): until now no reader took it for live. Answers 1 when it was pending so.
   */
  const confirm = script(1, ROTATION_EVENTS + `
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local f, at = header(v)
if not f or f[F.alias] ~= ARGV[1] then return 0 end
f[F.alias] = ARGV[2]
redis.call('SET', KEYS[1], table.concat(f, SEP) .. SEP .. string.sub(v, at))
${ev(`rotatedInto(ARGV[3], tonumber(f[F.updatedAt]), ARGV[4], f, ARGV[5])`)}
return 1`);

  /** KEYS: a key. ARGV: the value it must still hold. Deletes it then; answers 1 when deleted. */
  const deleteIfUnchanged = script(1, `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1`);

  /**
   * KEYS: an alias of a session that is gone. Deletes it, unless it is a rotation's forwarder
   * ('>' handle, SEP, end of grace), which stays until its own expiry (PX): a login across Cluster
   * slots that a capped write finished (RedisSessionStore #settle) learns that it happened from that
   * forwarder alone, and the session may be evicted before the login looks. A forwarder whose
   * session is gone resolves to nothing. Answers 1 when deleted.
   */
  const dropAlias = script(1, `
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
if string.sub(v, 1, 1) == ALIAS and string.find(v, SEP, 1, true) then return 0 end
redis.call('DEL', KEYS[1])
return 1`);

  /** KEYS: a key. ARGV: the value it must still hold, the value to set. Answers 1 when set. */
  const replaceIfUnchanged = script(1, `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1`);

  return {
    sessionApiCreate: create,
    sessionApiCreateClaimed: createClaimed,
    sessionApiUpdate: update,
    sessionApiDelete: remove,
    sessionApiReclaim: reclaimMembers,
    sessionApiDeleteRange: removeRange,
    sessionApiCountRange: countRange,
    sessionApiClaimAlias: claimAlias,
    sessionApiReplaceIfUnchanged: replaceIfUnchanged,
    sessionApiRotate: rotate,
    sessionApiMoveOut: moveOut,
    sessionApiConfirm: confirm,
    sessionApiDeleteIfUnchanged: deleteIfUnchanged,
    sessionApiDropAlias: dropAlias,
  } as const satisfies Record<string, ScriptDefinition>;
}

/** The names the scripts go by (the command names of a store without events). */
export type SessionScriptName = keyof ReturnType<typeof sessionScripts>;
