import { describe, expect, test } from 'vitest';
import { luaScript } from '../../adapters/redis/lua-prelude.js';
import { defaultScriptTuning, sessionScripts } from '../../adapters/redis/session-scripts.js';

/** Where `local function <name>` is defined in `lua`, or -1. */
const definedAt = (lua: string, name: string): number => lua.search(new RegExp(`local function ${name}\\b`));

describe('luaScript', () => {
  test('puts only the helpers a script names, and the ones those name', () => {
    const lua = luaScript(undefined, `return handleOf(ARGV[1])`);
    expect(definedAt(lua, 'handleOf')).toBeGreaterThanOrEqual(0);
    expect(lua).toContain('local MSEP'); // handleOf's own need
    expect(definedAt(lua, 'drop')).toBe(-1);
  });

  test('a fast part comes before the helpers only the rest names, after those it names', () => {
    const fast = `if ARGV[1] == '' then return num(1) end`;
    const lua = luaScript(undefined, `drop(ARGV[2], handleOf(ARGV[3]), nil, {}, 0, nil) return num(2)`, fast);
    const at = lua.indexOf(fast);
    expect(definedAt(lua, 'num')).toBeLessThan(at);
    for (const late of ['drop', 'handleOf', 'idsKey', 'expKey']) expect(definedAt(lua, late)).toBeGreaterThan(at);
    expect(lua.match(/local function num\b/g)).toHaveLength(1);
  });
});

describe('the create scripts', () => {
  // Redis runs a script's whole text on every call: a create that nothing is in the way of must
  // answer before the closures only the other cases use are made.
  const cases = [false, true].flatMap((events) => (['sessionApiCreate', 'sessionApiCreateClaimed'] as const).map((name) => ({ events, name })));
  test.each(cases)('$name answers the common case before the helpers of the others (events $events)', ({ events, name }) => {
    const { lua } = sessionScripts(events ? { retentionMs: 60_000 } : undefined, defaultScriptTuning(events))[name];
    const answered = lua.indexOf('return 1\n');
    expect(answered).toBeGreaterThan(0);
    const rare = ['capped', 'reclaim', 'drop', 'liveOrDrop', 'rescoreOrDrop', ...(name === 'sessionApiCreateClaimed' ? ['claim'] : [])];
    for (const helper of rare) expect(definedAt(lua, helper)).toBeGreaterThan(answered);
    // What it does use is defined before it: an event, when the store records them.
    expect(definedAt(lua, 'expiryScore')).toBeLessThan(answered);
    if (events) expect(definedAt(lua, 'sessionEvent')).toBeLessThan(answered);
  });
});
