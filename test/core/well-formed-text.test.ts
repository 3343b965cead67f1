import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkData, checkUserId, defaultSessionLimits, InvalidInputError, isWellFormedJson } from '../../core/index.js';

/** Any string, built from UTF-16 code units, so lone surrogates come up often. */
const codeUnits = fc.array(fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.integer({ min: 0xe000, max: 0xffff })), { minLength: 1, maxLength: 12 }).map((units) => String.fromCharCode(...units));

describe('strings must be well-formed Unicode', () => {
  it('a user id is accepted exactly when it is well-formed', () => {
    fc.assert(
      fc.property(codeUnits, (userId) => {
        if (userId.isWellFormed()) expect(checkUserId(userId)).toBe(userId);
        else expect(() => checkUserId(userId)).toThrow(InvalidInputError);
      }),
      { numRuns: 1000 },
    );
  });

  it('data is accepted exactly when every key and string in it is well-formed', () => {
    fc.assert(
      fc.property(codeUnits, codeUnits, (key, value) => {
        const data = { outer: { [key]: [1, value] } };
        const wellFormed = key.isWellFormed() && value.isWellFormed();
        expect(isWellFormedJson(data)).toBe(wellFormed);
        if (wellFormed) expect(checkData(data, defaultSessionLimits)).toBe(data);
        else expect(() => checkData(data, defaultSessionLimits)).toThrow(InvalidInputError);
      }),
      { numRuns: 1000 },
    );
  });

  it('a lone surrogate is refused, its replacement character and surrogate pairs are not', () => {
    expect(() => checkUserId('x\ud800')).toThrow(/userId: must be well-formed Unicode/);
    expect(() => checkUserId('\udc00x')).toThrow(InvalidInputError);
    expect(checkUserId('x\ufffd')).toBe('x\ufffd');
    expect(checkUserId('x\ud83d\ude00')).toBe('x\u{1f600}');
    expect(() => checkData({ '\ud800': 1 }, defaultSessionLimits)).toThrow(/data: keys and strings must be well-formed/);
    expect(() => checkData({ a: ['\udfff'] }, defaultSessionLimits)).toThrow(InvalidInputError);
  });
});
