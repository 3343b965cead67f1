import { BASE64URL, EXPIRY_SUFFIX, IDS_SUFFIX, MEMBER_SEPARATOR } from './key-layout.js';
import { ALIAS_MARK, FIELD_SEPARATOR, PENDING_MARK, STORED_FIELDS } from './stored-session.js';

/**
 * The Lua every script starts with, generated from key-layout.ts and stored-session.ts, so key
 * names, the member format and the stored field order are written once (in TypeScript) and the
 * scripts use them by name: `F.expiresAt` is the position of that field, `idsKey(tag)` the key.
 */

/** A Lua string literal of `text` (each byte as a decimal escape: safe for control characters). */
function luaString(text: string): string {
  return `"${[...Buffer.from(text, 'utf8')].map((byte) => `\\${byte}`).join('')}"`;
}

const fieldPositions = STORED_FIELDS.map((name, i) => `${name} = ${i + 1}`).join(', ');

export const LUA_PRELUDE = `
local SEP, MSEP, ALIAS, PENDING = ${luaString(FIELD_SEPARATOR)}, ${luaString(MEMBER_SEPARATOR)}, ${luaString(ALIAS_MARK)}, ${luaString(PENDING_MARK)}
local F = { ${fieldPositions} }
local NFIELDS = ${STORED_FIELDS.length}
local function idsKey(tag) return tag .. ${luaString(IDS_SUFFIX)} end
local function expKey(tag) return tag .. ${luaString(EXPIRY_SUFFIX)} end
local function num(n) return string.format('%.0f', n) end
-- A deadline's score in the expiry index: rounded up to the index's granularity, so a refresh
-- rewrites the index only when it crosses into another step; never early (score >= deadline).
local function expiryScore(deadline, step) return math.ceil(deadline / step) * step end
-- The key of a handle, as key-layout.ts's KeyLayout.session makes it: its home's 24 bits modulo the partition count.
local B64 = ${luaString(BASE64URL)}
local function keyOf(prefix, partitions, handle)
  local bits = 0
  for i = 1, 4 do bits = bits * 64 + string.find(B64, string.sub(handle, i, i), 1, true) - 1 end
  return prefix .. '{' .. (bits % partitions) .. '}' .. handle
end
local function memberOf(userId, handle) return userId .. MSEP .. handle end
local function handleOf(member) return string.sub(member, string.find(member, MSEP, 1, true) + 1) end

-- The header fields of a stored value and where its data starts; nil for an alias. One pattern
-- match (a C call) rather than a find per field: it halved the parsing cost inside Redis.
local HEADER = ${luaString('^' + STORED_FIELDS.map(() => '([^' + FIELD_SEPARATOR + ']*)' + FIELD_SEPARATOR).join('') + '()')}
local function header(v)
  if string.sub(v, 1, 1) == ALIAS then return nil end
  local f = { string.match(v, HEADER) }
  local at = f[NFIELDS + 1]
  f[NFIELDS + 1] = nil
  return f, at
end

-- Removes what a session put in its partition (its key only when it still holds that session)
-- and notes its alias for the caller to remove (it lives in another slot).
local function drop(tag, member, f, aliases)
  if f then
    redis.call('DEL', tag .. handleOf(member))
    if f[F.alias] ~= '' then aliases[#aliases + 1] = f[F.alias] end
  end
  redis.call('ZREM', idsKey(tag), member)
  redis.call('ZREM', expKey(tag), member)
end

-- Looks a member's session up: its fields, value and data start when live, else nil after removing it.
local function liveOrDrop(tag, member, now, aliases)
  local v = redis.call('GET', tag .. handleOf(member))
  local f, at
  if v then f, at = header(v) end
  if f and tonumber(f[F.expiresAt]) > now then return f, v, at end
  drop(tag, member, f, aliases)
  return nil
end

-- Removes up to budget sessions of the partition whose deadline has passed, earliest first.
local function reclaim(tag, now, budget, aliases)
  local expired = redis.call('ZRANGEBYSCORE', expKey(tag), '-inf', num(now), 'LIMIT', 0, budget)
  for _, member in ipairs(expired) do liveOrDrop(tag, member, now, aliases) end
end
`;
