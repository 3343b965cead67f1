import { LUA_PRELUDE } from './lua-prelude.js';

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

const script = (numberOfKeys: number, body: string): ScriptDefinition => ({ numberOfKeys, lua: LUA_PRELUDE + body });

/**
 * KEYS: session, ids, exp. ARGV: tag, now, reclaim budget, member, expiresAt, value, PX ('' none),
 * expiry index granularity (ms), then for a capped create: the most live sessions ('' no cap),
 * the policy, and the user's range (from, to; BYLEX).
 * Reclaims a few expired sessions of the partition first (so expiry is paid for by writes), then
 * writes the session unless its key is taken. Capped, it first reads the user's range (the user's
 * sessions share this partition, so the count and the evictions are in this one script): expired
 * ones go, live ones count, and past the cap the first in core/session-limit.ts's eviction order
 * go too, or it is refused. Answers { 1 created, aliases, evicted handles } | { 0 taken, aliases }
 * | { 3 refused, aliases } or { 2, aliases, value } when an alias holds the key: only the caller
 * can look at its session.
 */
// The create script's body, a function so that the aliased create below can run it too.
const CREATE_BODY = `
local function createSession()
local aliases = {}
local now = tonumber(ARGV[2])
reclaim(ARGV[1], now, ARGV[3], aliases)
local cur = redis.call('GET', KEYS[1])
if cur then
  -- An expired session left at the handle goes, with what it put in the partition.
  local f = header(cur)
  if not f then return { 2, aliases, cur } end
  if tonumber(f[F.expiresAt]) > now then return { 0, aliases } end
  drop(ARGV[1], memberOf(f[F.userId], handleOf(ARGV[4])), f, aliases)
end
local evicted = {}
if ARGV[9] ~= '' then
  local live = {}
  for i, member in ipairs(redis.call('ZRANGEBYLEX', KEYS[2], ARGV[11], ARGV[12])) do
    local f = liveOrDrop(ARGV[1], member, now, aliases)
    -- The range is in byte order of members, so of handles: i breaks ties as the core's order does.
    if f then live[#live + 1] = { member = member, f = f, i = i } end
  end
  local excess = #live + 1 - tonumber(ARGV[9])
  if excess > 0 then
    if ARGV[10] == 'reject' then return { 3, aliases } end
    local field = F.createdAt
    if ARGV[10] == 'evict-idlest' then field = F.${ACTIVITY_FIELD} end
    table.sort(live, function(a, b)
      local x, y = tonumber(a.f[field]), tonumber(b.f[field])
      if x ~= y then return x < y end
      return a.i < b.i
    end)
    for k = 1, excess do
      drop(ARGV[1], live[k].member, live[k].f, aliases)
      evicted[k] = handleOf(live[k].member)
    end
  end
end
if ARGV[7] == '' then redis.call('SET', KEYS[1], ARGV[6]) else redis.call('SET', KEYS[1], ARGV[6], 'PX', ARGV[7]) end
redis.call('ZADD', KEYS[2], 0, ARGV[4])
redis.call('ZADD', KEYS[3], num(expiryScore(tonumber(ARGV[5]), tonumber(ARGV[8]))), ARGV[4])
return { 1, aliases, evicted }
end`;

const create = script(3, `${CREATE_BODY}
return createSession()`);

/**
 * KEYS: session, ids, exp, alias. ARGV: create's, then the alias value (`><handle>`). Standalone
 * Redis only (the alias lives in another slot): a create with its alias in ONE script when both
 * keys are free, the common case (a new express-session sid). Answers { 4, {} } without writing
 * when either key holds anything: the caller then takes the general path (which looks at what
 * holds it). Otherwise as create, the alias written with the session and only then.
 */
const createAliased = script(4, `${CREATE_BODY}
if redis.call('EXISTS', KEYS[1], KEYS[4]) > 0 then return { 4, {} } end
local r = createSession()
if r[1] == 1 then redis.call('SET', KEYS[4], ARGV[13]) end
return r`);

/**
 * KEYS: a handle's key. ARGV: key prefix, partition count. Standalone Redis only: a lookup that
 * follows an alias in the same round trip. Answers {} (nothing), { value } or, for an alias,
 * { alias value, the value of the key it names, or false }.
 */
const follow = script(1, `
local v = redis.call('GET', KEYS[1])
if not v then return {} end
if string.sub(v, 1, 1) ~= ALIAS then return { v } end
local stop = string.find(v, SEP, 2, true)
local target = stop and string.sub(v, 2, stop - 1) or string.sub(v, 2)
return { v, redis.call('GET', keyOf(ARGV[1], tonumber(ARGV[2]), target)) }`);

/**
 * KEYS: session, exp. ARGV: handle, now, expected version ('' any), slide ('1'/'0'),
 * absoluteTimeout, has data ('1'/'0'), data JSON, grace ms, expiry index granularity (ms),
 * touch interval (ms, 0 none).
 * core/session-change.ts applyChange, in Lua: a throttled refresh (no data, now - lastActiveAt
 * below the interval and below half the ttl: isThrottled) answers the stored value as it is,
 * after one GET and no write; otherwise version + 1, updatedAt = now, lastActiveAt = now for a
 * refresh, expiresAt = min(slide ? max(e, now + ttl) : e, createdAt + absoluteTimeout). Answers
 * 'missing', 'conflict', or the new stored value: without its data when the caller sent the data
 * (it has it).
 */
const update = script(2, `
local v = redis.call('GET', KEYS[1])
if not v then return 'missing' end
local f, at = header(v)
local now = tonumber(ARGV[2])
if not f then return 'missing' end
local e = tonumber(f[F.expiresAt])
if e <= now then return 'missing' end
if ARGV[3] ~= '' and tonumber(f[F.version]) ~= tonumber(ARGV[3]) then return 'conflict' end
if ARGV[6] == '0' then
  local since, touch = now - tonumber(f[F.lastActiveAt]), tonumber(ARGV[10])
  if touch > 0 and since < touch and 2 * since < tonumber(f[F.ttl]) then return v end
  f[F.lastActiveAt] = num(now)
end
local moved = e
if ARGV[4] == '1' then moved = math.max(e, now + tonumber(f[F.ttl])) end
local ne = math.min(moved, tonumber(f[F.createdAt]) + tonumber(ARGV[5]))
f[F.version] = num(tonumber(f[F.version]) + 1)
f[F.updatedAt] = num(now)
f[F.expiresAt] = num(ne)
local head = table.concat(f, SEP) .. SEP
local data
if ARGV[6] == '1' then data = ARGV[7] else data = string.sub(v, at) end
if f[F.alias] == '' then
  redis.call('SET', KEYS[1], head .. data, 'PX', num(math.max(ne - now + tonumber(ARGV[8]), 1)))
else
  redis.call('SET', KEYS[1], head .. data)
end
local step = tonumber(ARGV[9])
local score = expiryScore(ne, step)
if score ~= expiryScore(e, step) then redis.call('ZADD', KEYS[2], num(score), memberOf(f[F.userId], ARGV[1])) end
if ARGV[6] == '1' then return head end
return head .. data`);

/**
 * KEYS: session. ARGV: tag, handle, now, expected version ('' any), then on standalone Redis the
 * key prefix and partition count ('' in a cluster). Removes the live session (at the expected
 * version). Answers { 'deleted' | 'conflict' | 'missing', aliases }. On standalone Redis, where a
 * script may reach any key, it removes the session's alias too (so it answers none): one round trip.
 */
const remove = script(1, `
local v = redis.call('GET', KEYS[1])
local f = v and header(v)
if not f or tonumber(f[F.expiresAt]) <= tonumber(ARGV[3]) then return { 'missing', {} } end
if ARGV[4] ~= '' and tonumber(f[F.version]) ~= tonumber(ARGV[4]) then return { 'conflict', {} } end
local aliases = {}
drop(ARGV[1], memberOf(f[F.userId], ARGV[2]), f, aliases)
if ARGV[6] == nil or ARGV[6] == '' then return { 'deleted', aliases } end
local left = {}
for _, alias in ipairs(aliases) do
  -- A pending session's '?<old handle>' names a key that may hold the live old session: the caller's.
  if string.sub(alias, 1, 1) == PENDING then left[#left + 1] = alias else redis.call('DEL', keyOf(ARGV[5], tonumber(ARGV[6]), alias)) end
end
return { 'deleted', left }`);

/**
 * KEYS: ids. ARGV: tag, now, reclaim budget, then index members a listing found dead (no
 * session, an expired one). Removes each that is still dead, and up to the budget of expired
 * sessions besides. Answers the aliases of what it removed.
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
for _, member in ipairs(members) do
  if member ~= keep then
    if taken == batch then done = 0 break end
    taken = taken + 1
    local v = redis.call('GET', tag .. handleOf(member))
    local f = v and header(v)
    if f and tonumber(f[F.expiresAt]) > now then live = live + 1 end
    drop(tag, member, f, aliases)
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

/**
 * KEYS: the alias's key. ARGV: tag, alias handle, now, alias value. Claims the alias unless a live
 * session holds that key; an expired one goes. Answers { 1 claimed, aliases } | { 0 taken } |
 * { 2, value } when another alias holds it: only the caller can look at that alias's session.
 */
const claimAlias = script(1, `
local v = redis.call('GET', KEYS[1])
local aliases = {}
if v then
  local f = header(v)
  if not f then return { 2, v } end
  if tonumber(f[F.expiresAt]) > tonumber(ARGV[3]) then return { 0, aliases } end
  drop(ARGV[1], memberOf(f[F.userId], ARGV[2]), f, aliases)
end
redis.call('SET', KEYS[1], ARGV[4])
return { 1, aliases }`);

/**
 * KEYS: old session, new session, old ids, old exp, new ids, new exp. ARGV: old tag, new tag,
 * now, expected version, old handle, new member, new value, forwarder value ('' none), forwarder
 * PX, new expiresAt, expiry index granularity (ms). A rotation in ONE script (one slot, or
 * standalone Redis): while the old session is live at the expected version and the new handle
 * is free, the old session leaves its partition (its key becomes the forwarder, or goes) and the
 * new one is written. Answers { 'rotated' | 'missing' | 'conflict' | 'exists', aliases } or
 * { 'alias', aliases, value } when an alias holds the new handle: only the caller can look at it.
 */
const rotate = script(6, `
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
  drop(ARGV[2], memberOf(g[F.userId], handleOf(ARGV[6])), g, aliases)
end
local old = memberOf(f[F.userId], ARGV[5])
redis.call('ZREM', KEYS[3], old)
redis.call('ZREM', KEYS[4], old)
if f[F.alias] ~= '' then aliases[#aliases + 1] = f[F.alias] end
if ARGV[8] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[8], 'PX', ARGV[9]) end
redis.call('SET', KEYS[2], ARGV[7])
redis.call('ZADD', KEYS[5], 0, ARGV[6])
redis.call('ZADD', KEYS[6], num(expiryScore(tonumber(ARGV[10]), tonumber(ARGV[11]))), ARGV[6])
return { 'rotated', aliases }`);

/**
 * KEYS: old session, old ids, old exp. ARGV: old handle, now, expected version, forwarder value,
 * forwarder PX. The linearization point of a rotation across slots: while the old session is live
 * at the expected version, its key becomes the forwarder that confirms the pending new session,
 * and it leaves its partition. Answers { 'moved' | 'missing' | 'conflict', aliases }.
 */
const moveOut = script(3, `
local v = redis.call('GET', KEYS[1])
local f = v and header(v)
if not f or tonumber(f[F.expiresAt]) <= tonumber(ARGV[2]) then return { 'missing', {} } end
if tonumber(f[F.version]) ~= tonumber(ARGV[3]) then return { 'conflict', {} } end
local old = memberOf(f[F.userId], ARGV[1])
redis.call('ZREM', KEYS[2], old)
redis.call('ZREM', KEYS[3], old)
redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5])
if f[F.alias] ~= '' then return { 'moved', { f[F.alias] } } end
return { 'moved', {} }`);

/**
 * KEYS: a session. ARGV: the alias field it must hold (pending), the one to set. Confirms a
 * pending session (see moveOut). Answers 1 when it was pending so.
 */
const confirm = script(1, `
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local f, at = header(v)
if not f or f[F.alias] ~= ARGV[1] then return 0 end
f[F.alias] = ARGV[2]
redis.call('SET', KEYS[1], table.concat(f, SEP) .. SEP .. string.sub(v, at))
return 1`);

/** KEYS: a key. ARGV: the value it must still hold. Deletes it then; answers 1 when deleted. */
const deleteIfUnchanged = script(1, `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1`);

/** KEYS: a key. ARGV: the value it must still hold, the value to set. Answers 1 when set. */
const replaceIfUnchanged = script(1, `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1`);

/** Every script, by the command name it is defined under on the client. */
export const sessionScripts = {
  sessionApiCreate: create,
  sessionApiCreateAliased: createAliased,
  sessionApiFollow: follow,
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
} as const satisfies Record<string, ScriptDefinition>;

/** The command names the scripts are defined under. */
export type SessionScriptName = keyof typeof sessionScripts;
