/**
 * The Lua scripts behind each store operation. Each runs atomically inside Redis and touches
 * the keys of ONE bucket (`tag` is `<prefix>{<shard>}:`, see key-layout.ts), so it is one round
 * trip and stays within one Redis Cluster slot. Keys a script can only learn from stored data
 * (a user's index, the sessions an index names) are built from the tag, which keeps them in
 * the same slot as the declared ones.
 *
 * Times arrive as ARGV strings of epoch ms; `now` is the core's, never Redis's clock. Native
 * expiry is set relative to `now` (deadline - now + grace): the same moment as PEXPIREAT when
 * clocks agree, but immune to skew between the service's and Redis's clocks and to the small
 * fake times of tests.
 */

const FIELDS = `'userId', 'data', 'createdAt', 'updatedAt', 'expiresAt', 'version', 'ttl'`;

const PRELUDE = `
local function sessionKey(tag, id) return tag .. 's:' .. id end
local function userKey(tag, userId) return tag .. 'u:' .. userId end
local function ms(n) return string.format('%.0f', n) end
local function ttlUntil(deadline, now, grace)
  local ttl = tonumber(deadline) - now + grace
  if ttl < 1 then ttl = 1 end
  return ms(ttl)
end

-- Removes a session and every index entry that names it.
local function dropSession(tag, id, userId)
  redis.call('DEL', sessionKey(tag, id))
  redis.call('ZREM', tag .. 'ids', id)
  redis.call('ZREM', tag .. 'exp', id)
  if userId then redis.call('ZREM', userKey(tag, userId), id) end
end

-- A conditional write's guard: the stored userId, expiresAt and version when the session is live
-- at the expected version ('' accepts any); otherwise nil and the outcome to answer ('missing' or
-- 'conflict'). An expired session found here is dropped on the way.
local function liveAtVersion(tag, id, key, now, expected)
  local cur = redis.call('HMGET', key, 'userId', 'expiresAt', 'version')
  if not cur[1] then return nil, 'missing' end
  if tonumber(cur[2]) <= now then
    dropSession(tag, id, cur[1])
    return nil, 'missing'
  end
  if expected ~= '' and tonumber(cur[3]) ~= tonumber(expected) then return nil, 'conflict' end
  return cur
end

-- Drops up to budget sessions of this bucket whose deadline has passed, oldest first, so the
-- indexes stay bounded by the live sessions even when nobody lists.
local function reclaim(tag, now, budget)
  local expired = redis.call('ZRANGEBYSCORE', tag .. 'exp', '-inf', ms(now), 'LIMIT', 0, budget)
  for _, id in ipairs(expired) do
    dropSession(tag, id, redis.call('HGET', sessionKey(tag, id), 'userId'))
  end
end

-- An index expires with its latest member (plus grace), so it never outlives its last session.
local function latestTtl(key, now, grace)
  local top = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  if top[2] then return ttlUntil(top[2], now, grace) end
  return nil
end

-- Writes the indexes and expiries of a session just written with this deadline.
local function index(tag, id, uKey, expiresAt, now, grace)
  redis.call('PEXPIRE', sessionKey(tag, id), ttlUntil(expiresAt, now, grace))
  redis.call('ZADD', tag .. 'ids', 0, id)
  redis.call('ZADD', tag .. 'exp', expiresAt, id)
  redis.call('ZADD', uKey, expiresAt, id)
  redis.call('PEXPIRE', uKey, latestTtl(uKey, now, grace))
  local shardTtl = latestTtl(tag .. 'exp', now, grace)
  redis.call('PEXPIRE', tag .. 'exp', shardTtl)
  redis.call('PEXPIRE', tag .. 'ids', shardTtl)
end
`;

/** A script as ioredis `defineCommand` takes it. */
export interface ScriptDefinition {
  readonly lua: string;
  /** Absent when the caller passes the key count first (a variable number of keys). */
  readonly numberOfKeys?: number;
}

/**
 * KEYS: session, user index. ARGV: tag, id, now, grace, reclaim budget, then the fields.
 * Returns 1 when created, 0 when the id is taken (live, or expired and not reclaimed yet).
 */
const create: ScriptDefinition = {
  numberOfKeys: 2,
  lua: `${PRELUDE}
local tag, id, now, grace = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
reclaim(tag, now, ARGV[5])
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'userId', ARGV[6], 'data', ARGV[7], 'createdAt', ARGV[8],
  'updatedAt', ARGV[9], 'expiresAt', ARGV[10], 'version', ARGV[11], 'ttl', ARGV[12])
index(tag, id, KEYS[2], ARGV[10], now, grace)
return 1`,
};

/**
 * KEYS: session, user index. ARGV: tag, id, now, grace, expected version, then the fields.
 * Returns 'written', 'conflict' or 'missing'.
 */
const replace: ScriptDefinition = {
  numberOfKeys: 2,
  lua: `${PRELUDE}
local tag, id, now, grace = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local cur, refused = liveAtVersion(tag, id, KEYS[1], now, ARGV[5])
if refused then return refused end
if cur[1] ~= ARGV[6] then redis.call('ZREM', userKey(tag, cur[1]), id) end
redis.call('HSET', KEYS[1], 'userId', ARGV[6], 'data', ARGV[7], 'createdAt', ARGV[8],
  'updatedAt', ARGV[9], 'expiresAt', ARGV[10], 'version', ARGV[11], 'ttl', ARGV[12])
index(tag, id, KEYS[2], ARGV[10], now, grace)
return 'written'`,
};

/**
 * KEYS: session. ARGV: tag, id, now, grace, expected version, expiresAt, updatedAt.
 * Returns 'written', 'conflict' or 'missing'.
 */
const refresh: ScriptDefinition = {
  numberOfKeys: 1,
  lua: `${PRELUDE}
local tag, id, now, grace = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local cur, refused = liveAtVersion(tag, id, KEYS[1], now, ARGV[5])
if refused then return refused end
redis.call('HSET', KEYS[1], 'expiresAt', ARGV[6], 'updatedAt', ARGV[7], 'version', ms(tonumber(cur[3]) + 1))
index(tag, id, userKey(tag, cur[1]), ARGV[6], now, grace)
return 'written'`,
};

/**
 * KEYS: session. ARGV: tag, id, now, expected version ('' for any). Removes the session if it is
 * live (and at the expected version); returns 'deleted', 'conflict' or 'missing'.
 */
const remove: ScriptDefinition = {
  numberOfKeys: 1,
  lua: `${PRELUDE}
local tag, id, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local cur, refused = liveAtVersion(tag, id, KEYS[1], now, ARGV[4])
if refused then return refused end
dropSession(tag, id, cur[1])
return 'deleted'`,
};

/**
 * KEYS: bucket id index. ARGV: tag, now, after ('' from the start), count, reclaim budget.
 * Returns up to count live sessions after `after`, in byte order, as a flat list of id and the
 * size of its data in bytes (HSTRLEN, O(1)), so the caller can bound a page by bytes before it
 * fetches any data.
 */
const pageIds: ScriptDefinition = {
  numberOfKeys: 1,
  lua: `${PRELUDE}
local tag, now, want = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[4])
reclaim(tag, now, ARGV[5])
local out, found, from = {}, 0, '-'
if ARGV[3] ~= '' then from = '(' .. ARGV[3] end
while found < want do
  local batch = redis.call('ZRANGEBYLEX', KEYS[1], from, '+', 'LIMIT', 0, want - found)
  if #batch == 0 then break end
  for _, id in ipairs(batch) do
    local deadline = redis.call('ZSCORE', tag .. 'exp', id)
    if deadline and tonumber(deadline) > now and redis.call('EXISTS', sessionKey(tag, id)) == 1 then
      found = found + 1
      out[#out + 1] = id
      out[#out + 1] = redis.call('HSTRLEN', sessionKey(tag, id), 'data')
    end
    from = '(' .. id
  end
end
return out`,
};

/**
 * KEYS: a user's index in one bucket. ARGV: tag, now. Trims the expired members and returns
 * the user's live sessions in this bucket as a flat list of id and data size in bytes
 * (unordered: Lua compares strings by locale, so the caller sorts by bytes).
 */
const userIds: ScriptDefinition = {
  numberOfKeys: 1,
  lua: `${PRELUDE}
local tag, now = ARGV[1], tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms(now))
local out = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if redis.call('EXISTS', sessionKey(tag, id)) == 1 then
    out[#out + 1] = id
    out[#out + 1] = redis.call('HSTRLEN', sessionKey(tag, id), 'data')
  end
end
return out`,
};

/**
 * KEYS: session keys of one bucket (count first). ARGV: now. Returns, per key, the fields of
 * a live session or nil.
 */
const fetch: ScriptDefinition = {
  lua: `
local now = tonumber(ARGV[1])
local out = {}
for i, key in ipairs(KEYS) do
  local f = redis.call('HMGET', key, ${FIELDS})
  if f[1] and tonumber(f[5]) > now then out[i] = f else out[i] = false end
end
return out`,
};

/**
 * KEYS: a user's index in one bucket. ARGV: tag, now, userId. Removes every session it names;
 * returns how many were live.
 */
const removeUser: ScriptDefinition = {
  numberOfKeys: 1,
  lua: `${PRELUDE}
local tag, now, userId = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local live = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local cur = redis.call('HMGET', sessionKey(tag, id), 'userId', 'expiresAt')
  if cur[1] == userId then
    if tonumber(cur[2]) > now then live = live + 1 end
    dropSession(tag, id, nil)
  end
end
redis.call('DEL', KEYS[1])
return live`,
};

/** Every script, by the command name it is defined under on the client. */
export const sessionScripts = {
  sessionApiCreate: create,
  sessionApiReplace: replace,
  sessionApiRefresh: refresh,
  sessionApiDelete: remove,
  sessionApiPageIds: pageIds,
  sessionApiUserIds: userIds,
  sessionApiFetch: fetch,
  sessionApiDeleteUser: removeUser,
} as const satisfies Record<string, ScriptDefinition>;

/** The command names the scripts are defined under. */
export type SessionScriptName = keyof typeof sessionScripts;
