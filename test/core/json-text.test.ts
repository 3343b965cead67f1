import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkData, createSessionService, defaultSessionLimits, InvalidInputError, isWellFormedJson, jsonByteLength, jsonDepth, jsonObjectForm, takeJsonText, type JsonObject } from '../../core/index.js';
import { jsonTextFacts, jsonTextVerdict } from '../../core/json-text.js';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { openRedisTestStore } from '../support/redis-test-store.js';
import { makeSession, T0 } from '../support/session-fixtures.js';
import { ManualClock } from '../support/manual-clock.js';

// Strings of every kind: lone surrogates, pairs, escapes, quotes, backslashes, control characters.
const text = fc.string({ unit: fc.oneof(fc.constantFrom('\ud800', '\udfff', '\ud83d\ude00', '\\', '"', '\\ud800', '\u0001', 'é', '€'), fc.string({ maxLength: 2 })) });
const object = fc.dictionary(text, fc.jsonValue({ maxDepth: 4 }).chain((v) => fc.oneof(fc.constant(v), text.map((s) => [s, v]))), { maxKeys: 5 }) as fc.Arbitrary<JsonObject>;

describe('JSON text, checked once', () => {
  it('tells from the text what the walks tell from the object', () => {
    fc.assert(
      fc.property(object, (value) => {
        const facts = jsonTextFacts(JSON.stringify(value));
        expect(facts.depth).toBe(jsonDepth(value, 1000));
        expect(facts.loneSurrogate).toBe(!isWellFormedJson(value));
        expect(facts.bytes).toBe(jsonByteLength(value));
      }),
      { numRuns: 500 },
    );
  });

  it('judges text against a depth limit as its full scan does, with or without the scan', () => {
    // Limits around the text's own depth and bracket count, so both the searches' answer and the scan's are taken.
    fc.assert(
      fc.property(object, fc.integer({ min: 0, max: 8 }), (value, maxDepth) => {
        const text = JSON.stringify(value);
        const facts = jsonTextFacts(text);
        expect(jsonTextVerdict(text, maxDepth)).toEqual({ tooDeep: facts.depth > maxDepth, loneSurrogate: facts.loneSurrogate, bytes: facts.bytes });
      }),
      { numRuns: 500 },
    );
    // The cases the searches must hand to the scan: brackets in strings past the limit, a lone
    // surrogate's escape, and an escaped backslash before a literal "ud".
    expect(jsonTextVerdict(JSON.stringify({ s: '[[[[' }), 2)).toEqual({ tooDeep: false, loneSurrogate: false, bytes: 12 });
    expect(jsonTextVerdict(JSON.stringify({ s: '\ud800' }), 32).loneSurrogate).toBe(true);
    expect(jsonTextVerdict(JSON.stringify({ s: '\\ud800' }), 32).loneSurrogate).toBe(false);
    expect(jsonTextVerdict(JSON.stringify({ a: [[1]] }), 2).tooDeep).toBe(true);
  });

  it('checks a JSON form as it checks the object, and the store writes the text checked', () => {
    fc.assert(
      fc.property(object, (value) => {
        const form = jsonObjectForm(value) as JsonObject;
        const outcome = (check: () => unknown) => {
          try {
            check();
            return 'ok';
          } catch (error) {
            return (error as Error).message;
          }
        };
        const limits = { ...defaultSessionLimits, maxDepth: 3, maxDataBytes: 60 };
        expect(outcome(() => checkData(form, limits))).toBe(outcome(() => checkData(structuredClone(value), limits)));
        expect(takeJsonText(form)).toBe(JSON.stringify(value));
      }),
      { numRuns: 300 },
    );
  });

  it('serialises an object changed since its last check anew', () => {
    const data: JsonObject = { n: 1 };
    checkData(data, defaultSessionLimits);
    data['n'] = 2;
    checkData(data, defaultSessionLimits);
    expect(takeJsonText(data)).toBe('{"n":2}');
    const form = jsonObjectForm({ at: new Date(0) }) as JsonObject;
    checkData(form, defaultSessionLimits);
    form['at'] = 'x'.repeat(70_000);
    // Only the first check after the form trusts its text: this one walks the object again.
    expect(() => checkData(form, defaultSessionLimits)).toThrow('bytes');
    expect(jsonObjectForm([1])).toBeUndefined();
    expect(() => jsonObjectForm({ n: 1n })).toThrow(InvalidInputError);
  });
});

describe('a session read from a store or answered by the service, its data changed in place, then written to a store directly', () => {
  // The text carrier notes checked data only: a store's reader may change what it read before
  // writing it out without the core's checks (another store, a migration, a test).
  it('is written as changed, not as it was read (memory and Redis)', async () => {
    const redis = await openRedisTestStore('standalone');
    try {
      for (const store of [new MemorySessionStore(), redis.freshStore()]) {
        const session = makeSession(T0, { data: { n: 1 } });
        expect(await store.create(session, T0)).toBe('created');
        const read = (await store.get(session.id, T0 + 1))!;
        read.data['n'] = 2;
        expect(await store.update(session.id, { data: read.data, slide: false, absoluteTimeout: 86_400_000 }, T0 + 2)).not.toBe('missing');
        expect((await store.get(session.id, T0 + 3))?.data).toEqual({ n: 2 });
        // The same from what the service answered for its create (checked data, whose text the
        // create's write took).
        const service = createSessionService({ store, clock: new ManualClock(T0) });
        const created = await service.create({ data: { n: 1 } });
        created.data['n'] = 3;
        expect(await store.update(created.id, { data: created.data, slide: false, absoluteTimeout: 86_400_000 }, T0 + 2)).not.toBe('missing');
        expect((await store.get(created.id, T0 + 3))?.data).toEqual({ n: 3 });
      }
    } finally {
      await redis.close();
    }
  }, 60_000);
});
