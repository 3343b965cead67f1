import { ENTRY_FIELDS, REASON_CODES, TYPE_CODES } from './event-entry.js';
import { EVENTS_SUFFIX, EXPIRY_SUFFIX, IDS_SUFFIX, MEMBER_SEPARATOR } from './key-layout.js';
import { ALIAS_MARK, FIELD_SEPARATOR, PENDING_MARK, STORED_FIELDS } from './stored-session.js';

/**
 * The Lua every script starts with, generated from key-layout.ts and stored-session.ts, so key
 * names, the member format and the stored field order are written once (in TypeScript) and the
 * scripts use them by name: `F.expiresAt` is the position of that field, `idsKey(tag)` the key.
 */

/** A Lua string literal of `text` (each byte as a decimal escape: safe for control characters). */
export function luaString(text: string): string {
  return `"${[...Buffer.from(text, 'utf8')].map((byte) => `\\${byte}`).join('')}"`;
}

const fieldPositions = STORED_FIELDS.map((name, i) => `${name} = ${i + 1}`).join(', ');

/** What the scripts need to record events: how long the streams keep them. */
export interface EventScripting {
  readonly retentionMs: number;
}

const names = (codes: Readonly<Record<string, string>>, strip = ''): string =>
  Object.entries(codes)
    .map(([name, code]) => `[${luaString(name.slice(strip.length))}] = ${luaString(code)}`)
    .join(', ');

/**
 * Appending an event: `emit(tag, now, fields)` XADDs to the partition's stream under the id
 * `<now>-*` (see event-entry.ts), trimming what is older than the retention (`MINID ~`: only
 * whole macro nodes, so it costs next to nothing). Only a script built with events has it.
 */
const EVENT_LUA = (retentionMs: number): string => `
local EVENT_AGE = ${retentionMs}
local EF = { ${names(ENTRY_FIELDS)} }
local ET = { ${names(TYPE_CODES, 'session.')} }
local function emit(tag, now, fields)
  local key = tag .. ${luaString(EVENTS_SUFFIX)}
  local minid = num(math.max(now - EVENT_AGE, 0))
  local id = redis.pcall('XADD', key, 'MINID', '~', minid, num(now) .. '-*', unpack(fields))
  if type(id) == 'table' and id.err then
    -- Only an id at or below the stream's last is handled here; any other error (WRONGTYPE,
    -- OOM) ends the script as redis.call would have.
    if not string.find(id.err, 'equal or smaller', 1, true) then error(id) end
    -- The stream's last id is ahead of this now (another process's clock): go on from it.
    local info, last = redis.call('XINFO', 'STREAM', key), nil
    for i = 1, #info, 2 do if info[i] == 'last-generated-id' then last = info[i + 1] end end
    fields[#fields + 1] = EF.recordedAt
    fields[#fields + 1] = num(now)
    redis.call('XADD', key, 'MINID', '~', minid, string.match(last, '^(%d+)') .. '-*', unpack(fields))
  end
end
-- An event of the session whose header fields are f, with extra fields (name, value, ...).
local function sessionEvent(tag, now, code, handle, f, extra)
  local fields = { EF.type, code, EF.sessionId, handle, EF.version, f[F.version] }
  if f[F.userId] ~= '' then fields[#fields + 1] = EF.userId fields[#fields + 1] = f[F.userId] end
  for i = 1, #extra do fields[#fields + 1] = extra[i] end
  emit(tag, now, fields)
end
-- The expiry of a session whose key Redis dropped by itself: the index member names it, its score
-- says its deadline (rounded up to the index step); its version is gone with it, recorded as 0.
local function vanishedEvent(tag, now, member, score)
  local at = string.find(member, MSEP, 1, true)
  local fields = { EF.type, ET.expired, EF.sessionId, string.sub(member, at + 1), EF.version, '0', EF.time, score }
  if at > 1 then fields[#fields + 1] = EF.userId fields[#fields + 1] = string.sub(member, 1, at - 1) end
  emit(tag, now, fields)
end
`;

/** The Lua letter of a reason, for the scripts to name it (a literal: no cost when events are off). */
export function reasonLetter(reason: keyof typeof REASON_CODES): string {
  return luaString(REASON_CODES[reason]);
}

/** The Lua letter of a type. */
export function typeLetter(type: keyof typeof TYPE_CODES): string {
  return luaString(TYPE_CODES[type]);
}

/**
 * How a script puts in the code that records events: `ev(code)` is `code` in a script built with
 * events and `otherwise` (nothing by default) without, so that without events it has none at all.
 */
export function eventCode(events: EventScripting | undefined): (code: string, otherwise?: string) => string {
  return (code, otherwise = '') => (events === undefined ? otherwise : code);
}

/** The prelude of a script built with events (`events`) or without. */
export function luaPrelude(events: EventScripting | undefined): string {
  const ev = eventCode(events);
  return `
local SEP, MSEP, ALIAS, PENDING = ${luaString(FIELD_SEPARATOR)}, ${luaString(MEMBER_SEPARATOR)}, ${luaString(ALIAS_MARK)}, ${luaString(PENDING_MARK)}
local F = { ${fieldPositions} }
local NFIELDS = ${STORED_FIELDS.length}
local function idsKey(tag) return tag .. ${luaString(IDS_SUFFIX)} end
local function expKey(tag) return tag .. ${luaString(EXPIRY_SUFFIX)} end
local function num(n) return string.format('%.0f', n) end
-- A deadline's score in the expiry index: rounded up to the index's granularity, so a refresh
-- rewrites the index only when it crosses into another step; never early (score >= deadline).
local function expiryScore(deadline, step) return math.ceil(deadline / step) * step end
local function memberOf(userId, handle) return userId .. MSEP .. handle end
local function handleOf(member) return string.sub(member, string.find(member, MSEP, 1, true) + 1) end
${events === undefined ? '' : EVENT_LUA(events.retentionMs)}
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
-- and notes its alias for the caller to remove (it lives in another slot). \`why\` is the event
-- it records (when the store records events): true for its expiry, a reason letter for its
-- deletion, nil for none. A pending session (a rotation across slots, see stored-session.ts) was
-- never announced, so it records nothing. A member whose key is gone (Redis's own expiry, its PX
-- grace run out before any reclaiming) records its expiry from what the index still knows.
local function drop(tag, member, f, aliases, now, why)
  if f then
    redis.call('DEL', tag .. handleOf(member))
    if f[F.alias] ~= '' then aliases[#aliases + 1] = f[F.alias] end
${ev(`    if why and string.sub(f[F.alias], 1, 1) ~= PENDING then
      if why == true then sessionEvent(tag, now, ET.expired, handleOf(member), f, { EF.time, f[F.expiresAt] })
      else sessionEvent(tag, now, ET.deleted, handleOf(member), f, { EF.reason, why }) end
    end`)}
  end
${ev(`  local score = (not f) and why and redis.call('ZSCORE', expKey(tag), member)
  if redis.call('ZREM', idsKey(tag), member) == 1 and score then vanishedEvent(tag, now, member, score) end`, `  redis.call('ZREM', idsKey(tag), member)`)}
  redis.call('ZREM', expKey(tag), member)
end

-- Looks a member's session up: its fields, value and data start when live, else nil after removing it.
local function liveOrDrop(tag, member, now, aliases)
  local v = redis.call('GET', tag .. handleOf(member))
  local f, at
  if v then f, at = header(v) end
  if f and tonumber(f[F.expiresAt]) > now then return f, v, at end
  drop(tag, member, f, aliases, now, true)
  return nil
end

-- Removes up to budget sessions of the partition whose deadline has passed, earliest first.
local function reclaim(tag, now, budget, aliases)
  local expired = redis.call('ZRANGEBYSCORE', expKey(tag), '-inf', num(now), 'LIMIT', 0, budget)
  for _, member in ipairs(expired) do liveOrDrop(tag, member, now, aliases) end
end
`;
}
