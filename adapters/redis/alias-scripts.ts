import { BASE64URL_ALPHABET, HOME_LENGTH } from '../../core/index.js';
import { TAG_CLOSE, TAG_OPEN } from './key-layout.js';
import { luaString } from './lua-prelude.js';
import { ALIAS_MARK, FIELD_SEPARATOR } from './stored-session.js';
import type { ScriptDefinition } from './session-scripts.js';

/**
 * The scripts of the alias path on standalone Redis, where a script may touch any key: a
 * caller's token (an express-session sid) whose session has a user names an alias in its own
 * partition, and the session lives in its user's (see key-layout.ts). Each follows or removes an
 * alias and its session in one round trip, where two commands took two. In a cluster the two
 * keys are in different slots, and the store sends the two commands instead.
 *
 * `keyOf(prefix, partitions, handle)` is the key of a handle, as KeyLayout makes it: the
 * partition is the home's 24 bits (core's homeBits) modulo the partition count.
 */
const PRELUDE = `
local ALIAS, SEP = ${luaString(ALIAS_MARK)}, ${luaString(FIELD_SEPARATOR)}
local DIGITS = ${luaString(BASE64URL_ALPHABET)}
local function keyOf(prefix, partitions, handle)
  local bits = 0
  for i = 1, ${HOME_LENGTH} do bits = bits * 64 + string.find(DIGITS, string.sub(handle, i, i), 1, true) - 1 end
  return prefix .. ${luaString(TAG_OPEN)} .. (bits % tonumber(partitions)) .. ${luaString(TAG_CLOSE)} .. handle
end
`;

const script = (numberOfKeys: number, body: string): ScriptDefinition => ({ numberOfKeys, lua: PRELUDE + body });

export const aliasScripts = {
  /**
   * KEYS: a handle's key. ARGV: key prefix, partition count. Reads nothing but two GETs: the
   * value at the handle, and when it is an alias (`><handle>`, or a rotation's forwarder
   * `><handle>SEP<end of grace>`), the value at the handle it names. Answers the value (nil for
   * none) or { alias value, its session's value or nil }; the store checks both as it checks
   * two GETs' answers.
   */
  sessionApiResolve: script(1, `
local v = redis.call('GET', KEYS[1])
if not v or string.sub(v, 1, 1) ~= ALIAS then return v end
local target = string.sub(v, 2)
local sep = string.find(target, SEP, 1, true)
if sep then target = string.sub(target, 1, sep - 1) end
return { v, redis.call('GET', keyOf(ARGV[1], ARGV[2], target)) }`),

} as const satisfies Record<string, ScriptDefinition>;

export type AliasScriptName = keyof typeof aliasScripts;
