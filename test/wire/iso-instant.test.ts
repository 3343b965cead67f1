import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoInstant } from '../../transports/wire/iso-instant.js';

const LAST_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;

describe('isoInstant', () => {
  it('writes what Date#toISOString writes, across the years it has four digits for and beyond', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: LAST_FOUR_DIGIT_YEAR_MS }), fc.integer({ min: -8.64e15, max: 8.64e15 })), (ms) => {
        expect(isoInstant(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2000 },
    );
  });

  it('stays right when instants share a second or a table slot, and at the edges', () => {
    // 256 s apart share a slot of the table; the same second comes back with other milliseconds.
    const base = Date.UTC(2026, 0, 1, 23, 59, 58);
    const instants = [0, 1, 999, 1000, base, base + 999, base + 256_000, base + 1, base + 256_000 + 998, LAST_FOUR_DIGIT_YEAR_MS, LAST_FOUR_DIGIT_YEAR_MS + 1, -1, 1.5];
    for (const ms of [...instants, ...instants.reverse()]) expect(isoInstant(ms)).toBe(new Date(ms).toISOString());
  });
});
