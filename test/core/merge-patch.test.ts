import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMergePatch, type JsonValue } from '../../core/index.js';

describe('applyMergePatch (RFC 7386)', () => {
  // The examples of RFC 7386, appendix A.
  const examples: [JsonValue, JsonValue, JsonValue][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  it.each(examples)('%j patched with %j is %j', (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });

  it('keeps __proto__ and constructor as plain keys and pollutes nothing', () => {
    const patch = JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    const result = applyMergePatch({}, patch) as Record<string, unknown>;
    expect(Object.getOwnPropertyNames(result).sort()).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(result)).toBe('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
  });

  const json = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>;
  const object = fc.dictionary(fc.string({ maxLength: 3 }), json, { maxKeys: 4 });

  it('never changes its arguments', () => {
    fc.assert(
      fc.property(object, object, (target, patch) => {
        const before = [structuredClone(target), structuredClone(patch)];
        applyMergePatch(target, patch);
        expect([target, patch]).toEqual(before);
      }),
    );
  });

  it('is idempotent: patching twice equals patching once', () => {
    fc.assert(
      fc.property(object, object, (target, patch) => {
        const once = applyMergePatch(target, patch);
        expect(applyMergePatch(once, patch)).toEqual(once);
      }),
    );
  });

  it('sets every non-null key of the patch and removes every null one', () => {
    fc.assert(
      fc.property(object, object, (target, patch) => {
        const result = applyMergePatch(target, patch) as Record<string, JsonValue>;
        for (const [key, value] of Object.entries(patch)) {
          if (value === null) expect(Object.hasOwn(result, key)).toBe(false);
          else expect(Object.hasOwn(result, key)).toBe(true);
        }
      }),
    );
  });
});
