import { ENTRY_FIELDS, REASON_CODES, TYPE_CODES } from './event-entry.js';
import { EVENTS_SUFFIX, EXPIRY_SUFFIX, IDS_SUFFIX, MEMBER_SEPARATOR } from './key-layout.js';
import { ALIAS_MARK, FIELD_SEPARATOR, PENDING_MARK, STORED_FIELDS } from './stored-session.js';

/**
 * The Lua a script starts with, generated from key-layout.ts and stored-session.ts, so key
 * names, the member format and the stored field order are written once (in TypeScript) and the
 * scripts use them by name. `luaScript(events, body)` puts before `body` only the helpers it uses
 * (and the ones those use): Redis runs a script's whole text on every call, so each helper left
 * in costs its closure on every call. Field positions (`F.expiresAt`) and event field and type
 * names (`EF.type`, `ET.expired`) are written into the text as literals, so no table of them is
 * built per call either.
 */

/** A Lua string literal of `text` (each byte as a decimal escape: safe for control characters). */
export function luaString(text: string): string {
  return `"${[...Buffer.from(text, 'utf8')].map((byte) => `\\${byte}`).join('')}"`;
}

/** What the scripts need to record events: how long the streams keep them. */
export interface EventScripting {
  readonly retentionMs: number;
}

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

/** A helper of the prelude: the local it defines, and its Lua (which may use earlier helpers only). */
interface Helper {
  readonly name: string;
  readonly lua: string;
}

/** The helpers, in the order they are defined (each uses only helpers before it). */
function helpers(events: EventScripting | undefined): readonly Helper[] {
  const ev = eventCode(events);
  const all: (Helper | undefined)[] = [
    { name: 'SEP', lua: `local SEP = ${luaString(FIELD_SEPARATOR)}` },
    { name: 'MSEP', lua: `local MSEP = ${luaString(MEMBER_SEPARATOR)}` },
    { name: 'ALIAS', lua: `local ALIAS = ${luaString(ALIAS_MARK)}` },
    { name: 'PENDING', lua: `local PENDING = ${luaString(PENDING_MARK)}` },
    { name: 'idsKey', lua: `local function idsKey(tag) return tag .. ${luaString(IDS_SUFFIX)} end` },
    { name: 'expKey', lua: `local function expKey(tag) return tag .. ${luaString(EXPIRY_SUFFIX)} end` },
    {
      name: 'tagAndHandle',
      lua: `-- A session key's tag and handle: the key is <prefix>{<p>}<handle> and the prefix holds no brace (key-layout.ts).
local function tagAndHandle(key) local cut = string.find(key, '}', 1, true) return string.sub(key, 1, cut), string.sub(key, cut + 1) end`,
    },
    { name: 'num', lua: `local function num(n) return string.format('%.0f', n) end` },
    {
      name: 'expiryScore',
      lua: `-- A deadline's score in the expiry index when it is written: rounded up to the index's step,
-- so a session is reclaimed at most one step late (see rescoreOrDrop: the index is lazy).
local function expiryScore(deadline, step) return math.ceil(deadline / step) * step end`,
    },
    { name: 'memberOf', lua: `local function memberOf(userId, handle) return userId .. MSEP .. handle end` },
    { name: 'handleOf', lua: `local function handleOf(member) return string.sub(member, string.find(member, MSEP, 1, true) + 1) end` },
    events && {
      name: 'emit',
      lua: `-- Appending an event: XADDs to the partition's stream under the id <now>-* (see event-entry.ts),
-- trimming what is older than the retention (MINID ~: only whole macro nodes, so it costs next to nothing).
local function emit(tag, now, fields)
  local key = tag .. ${luaString(EVENTS_SUFFIX)}
  local minid = num(math.max(now - ${events.retentionMs}, 0))
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
end`,
    },
    events && {
      name: 'sessionEvent',
      lua: `-- An event of the session whose header fields are f, with extra fields (name, value, ...).
local function sessionEvent(tag, now, code, handle, f, extra)
  local fields = { EF.type, code, EF.sessionId, handle, EF.version, f[F.version] }
  if f[F.userId] ~= '' then fields[#fields + 1] = EF.userId fields[#fields + 1] = f[F.userId] end
  for i = 1, #extra do fields[#fields + 1] = extra[i] end
  emit(tag, now, fields)
end`,
    },
    events && {
      name: 'vanishedEvent',
      lua: `-- The expiry of a session whose key Redis dropped by itself: the index member names it, its score
-- says its deadline (as last indexed: at or before it, see drop); its version is gone with it, recorded as 0.
local function vanishedEvent(tag, now, member, score)
  local at = string.find(member, MSEP, 1, true)
  local fields = { EF.type, ET.expired, EF.sessionId, string.sub(member, at + 1), EF.version, '0', EF.time, score }
  if at > 1 then fields[#fields + 1] = EF.userId fields[#fields + 1] = string.sub(member, 1, at - 1) end
  emit(tag, now, fields)
end`,
    },
    {
      name: 'HEADER',
      lua: `-- The header fields of a stored value and where its data starts, in one pattern match (a C call)
-- rather than a find per field: it halved the parsing cost inside Redis.
local HEADER = ${luaString('^' + STORED_FIELDS.map(() => '([^' + FIELD_SEPARATOR + ']*)' + FIELD_SEPARATOR).join('') + '()')}`,
    },
    {
      name: 'header',
      lua: `-- The header fields of a stored value (a table, by F positions) and where its data starts; nil for an alias.
local function header(v)
  if string.sub(v, 1, 1) == ALIAS then return nil end
  local f = { string.match(v, HEADER) }
  local at = f[${STORED_FIELDS.length + 1}]
  f[${STORED_FIELDS.length + 1}] = nil
  return f, at
end`,
    },
    {
      name: 'drop',
      lua: `-- Removes what a session put in its partition (its key only when it still holds that session)
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
end`,
    },
    {
      name: 'liveOrDrop',
      lua: `-- Looks a member's session up: its fields, value and data start when live, else nil after removing it.
local function liveOrDrop(tag, member, now, aliases)
  local v = redis.call('GET', tag .. handleOf(member))
  local f, at
  if v then f, at = header(v) end
  if f and tonumber(f[F.expiresAt]) > now then return f, v, at end
  drop(tag, member, f, aliases, now, true)
  return nil
end`,
    },
    {
      name: 'rescoreOrDrop',
      lua: `-- The lazy expiry index: a write that moves a deadline later leaves its score (so a score is at or
-- before its deadline's, never after: nothing is reclaimed late). Whoever reclaims by score so
-- meets live sessions too: each is scored again by its deadline (one ZADD, once its old score has
-- passed) instead of removed. Answers how many of those it met were expired (and removed).
local function rescoreOrDrop(tag, member, now, aliases)
  local f = liveOrDrop(tag, member, now, aliases)
  if not f then return 1 end
  redis.call('ZADD', expKey(tag), f[F.expiresAt], member)
  return 0
end`,
    },
    {
      name: 'reclaim',
      lua: `-- Removes up to budget sessions of the partition whose indexed deadline has passed, earliest
-- indexed first; answers how many, and whether it found no more due. Live sessions met on the way
-- (see above) do not count, but at most \`budget + RESCORE_SLACK\` members are looked at, so a call
-- stays short. \`counted\`: the caller counted already and found some due.
local function reclaim(tag, now, budget, aliases, counted)
  local removed, seen, left, upto = 0, 0, tonumber(budget), num(now)
  -- Mostly nothing is due: a count (an integer reply) tells so at a third of a range's cost.
  if left <= 0 then return 0, false end
  if not counted and redis.call('ZCOUNT', expKey(tag), '-inf', upto) == 0 then return 0, true end
  local most = left + ${RESCORE_SLACK}
  while left > 0 and seen < most do
    local ask = math.min(left, most - seen)
    local due = redis.call('ZRANGEBYSCORE', expKey(tag), '-inf', upto, 'LIMIT', 0, ask)
    for _, member in ipairs(due) do
      local n = rescoreOrDrop(tag, member, now, aliases)
      removed, left = removed + n, left - n
    end
    seen = seen + #due
    if #due < ask then return removed, true end
  end
  return removed, false
end`,
    },
  ];
  return all.filter((helper): helper is Helper => helper !== undefined);
}

/**
 * How many live sessions one reclaiming may score again besides its budget of expired ones (see
 * `reclaim`): enough that a sweep's budget is rarely cut short by sessions refreshed since their
 * score was written, few enough that a script stays well under a millisecond.
 */
const RESCORE_SLACK = 64;

const FIELD_POSITION = new Map<string, number>(STORED_FIELDS.map((name, i) => [name, i + 1]));

/** `table.name` in Lua text, written as the literal `values` has for `name` (an unknown name is a bug: thrown). */
function literals(lua: string, table: string, value: (name: string) => string | undefined): string {
  return lua.replace(new RegExp(`\\b${table}\\.(\\w+)`, 'g'), (_, name: string) => {
    const literal = value(name);
    if (literal === undefined) throw new Error(`no ${table}.${name}`);
    return literal;
  });
}

/** The stored fields as Lua locals, in their order: `local ${fieldLocals}, at = string.match(v, HEADER)`. */
export const fieldLocals = STORED_FIELDS.join(', ');

/**
 * A Lua expression of a stored header (each field followed by the separator) from the locals
 * `fieldLocals` names, but for the fields `values` gives other Lua expressions of.
 */
export function headerOf(values: Partial<Record<(typeof STORED_FIELDS)[number], string>>): string {
  return `${STORED_FIELDS.map((name) => values[name] ?? name).join(' .. SEP .. ')} .. SEP`;
}

/** Lua without its comments, to tell which helpers it names. */
const code = (lua: string): string => lua.replace(/--[^\n]*/g, '');

/**
 * A script's text: the helpers `body` uses (and those they use), then `body`, built with the code
 * that records events (`events`) or without any; names of fields, event fields and types written
 * as literals. With `fast`, a first part that answers the common case and returns: it comes
 * before the helpers only the rest uses, so a call it answers never makes their closures (Redis
 * runs a script's whole text on every call; for create they cost about 0.7 µs of its 8 µs of Lua).
 */
export function luaScript(events: EventScripting | undefined, body: string, fast = ''): string {
  const all = helpers(events);
  const early = helpersOf(all, fast, new Set());
  const late = helpersOf(all, body, new Set(early));
  let lua = [...early.map((helper) => helper.lua), fast, ...late.map((helper) => helper.lua), body].filter((part) => part !== '').join('\n');
  lua = literals(lua, 'F', (name) => FIELD_POSITION.get(name)?.toString());
  lua = literals(lua, 'EF', (name) => (name in ENTRY_FIELDS ? luaString(ENTRY_FIELDS[name as keyof typeof ENTRY_FIELDS]) : undefined));
  lua = literals(lua, 'ET', (name) => (`session.${name}` in TYPE_CODES ? luaString(TYPE_CODES[`session.${name}` as keyof typeof TYPE_CODES]) : undefined));
  return lua;
}

/** The helpers `lua` uses (and those they use) but those in `defined`, in the order they are defined. */
function helpersOf(all: readonly Helper[], lua: string, defined: ReadonlySet<Helper>): Helper[] {
  const used: Helper[] = [];
  let needs = code(lua);
  // Each helper uses only earlier ones: one pass from the last finds every helper needed.
  for (const helper of [...all].reverse()) {
    if (!defined.has(helper) && new RegExp(`\\b${helper.name}\\b`).test(needs)) {
      used.unshift(helper);
      needs += code(helper.lua);
    }
  }
  return used;
}
