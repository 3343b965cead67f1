import { luaScript, type EventScripting } from './lua-prelude.js';
import type { ScriptDefinition } from './session-scripts.js';

/**
 * The scripts of the event log itself (see redis-event-log.ts): the sweep, which reclaims expired
 * sessions exactly as every other reclaiming does (so each records its one `session.expired`
 * wherever it is claimed), and a consumer's lease, one hash per consumer read and written in one
 * script per call, so that two processes never both hold it.
 */
export function eventScripts(events: EventScripting) {
  const script = (numberOfKeys: number, body: string): ScriptDefinition => ({ numberOfKeys, lua: luaScript(events, body) });
  return {
    /**
     * KEYS: exp. ARGV: tag, now, budget. Reclaims up to `budget` sessions of the partition whose
     * index score is at or before now (see reclaim in lua-prelude.ts: a session refreshed since its
     * score was written is scored again by its deadline, and does not count). Answers { how many
     * it removed, their aliases, 1 when no more are due }.
     */
    sessionApiSweep: script(1, `
local aliases = {}
local removed, exhausted = reclaim(ARGV[1], tonumber(ARGV[2]), ARGV[3], aliases)
return { removed, aliases, exhausted and 1 or 0 }`),
    /**
     * KEYS: the consumer's hash (owner, until, cursor). ARGV: owner, now, lease ms. Takes or renews
     * the lease unless another owner's runs past now. Answers { 1, saved cursor or '' } | { 0 }.
     */
    sessionApiClaimConsumer: script(1, `
local held = redis.call('HMGET', KEYS[1], 'owner', 'until', 'cursor')
local now = tonumber(ARGV[2])
if held[1] and held[1] ~= ARGV[1] and tonumber(held[2]) > now then return { 0 } end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'until', num(now + tonumber(ARGV[3])))
return { 1, held[3] or '' }`),
    /**
     * KEYS: the consumer's hash. ARGV: owner, cursor, now, lease ms. Saves the cursor and renews
     * the lease only while `owner` holds it (its lease runs past now). Answers 1 saved, 0 lost.
     */
    sessionApiSaveConsumer: script(1, `
local held = redis.call('HMGET', KEYS[1], 'owner', 'until')
local now = tonumber(ARGV[3])
if held[1] ~= ARGV[1] or tonumber(held[2]) <= now then return 0 end
redis.call('HSET', KEYS[1], 'until', num(now + tonumber(ARGV[4])), 'cursor', ARGV[2])
return 1`),
  } as const satisfies Record<string, ScriptDefinition>;
}

/** The names of the event log's scripts. */
export type EventScriptName = keyof ReturnType<typeof eventScripts>;
