import { describe, expect, it } from 'vitest';
import { decodeEventCursor, decodePageCursor, encodeEventCursor, encodePageCursor, InvalidInputError, toBase64Url } from '../../core/index.js';

const anyPositions = (): boolean => true;
const text = (value: string): string => toBase64Url(new TextEncoder().encode(value));

describe('event cursors', () => {
  it('give back the positions they were made from', () => {
    for (const positions of [[], ['0'], ['17', '1700000000000-3', '']]) {
      expect(decodeEventCursor(encodeEventCursor(positions), anyPositions)).toEqual(positions);
    }
  });

  it("refuse a listing's cursor, and a listing refuses theirs", () => {
    for (const position of ['0', 'events', '']) {
      expect(() => decodeEventCursor(encodePageCursor(undefined, position), anyPositions)).toThrow(InvalidInputError);
      expect(() => decodeEventCursor(encodePageCursor('u', position), anyPositions)).toThrow(InvalidInputError);
    }
    for (const positions of [[], ['u'], ['0', 'u']]) {
      expect(() => decodePageCursor(encodeEventCursor(positions), undefined, () => true)).toThrow(InvalidInputError);
      expect(() => decodePageCursor(encodeEventCursor(positions), 'u', () => true)).toThrow(InvalidInputError);
    }
  });

  it('refuse every text but the exact encoding', () => {
    const cursor = encodeEventCursor(['1', '2']);
    for (const bad of [
      '',
      'not base64!',
      cursor.slice(0, -1),
      `${cursor}=`,
      text('[0, "1", "2"]'),
      text('[0,1,"2"]'),
      text('["0","1","2"]'),
      text('[0.0,"1","2"]'),
      text('{"0":0}'),
      text('[1,"1"]'),
      toBase64Url(new Uint8Array([0x5b, 0x22, 0xff, 0x22, 0x5d])),
    ]) {
      expect(() => decodeEventCursor(bad, anyPositions), bad).toThrow(InvalidInputError);
    }
  });

  it("refuse positions the store's check does not accept", () => {
    const cursor = encodeEventCursor(['1']);
    expect(() => decodeEventCursor(cursor, (positions) => positions.length === 16)).toThrow(InvalidInputError);
  });
});
