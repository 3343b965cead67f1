import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import {
  checkCursor,
  createSessionService,
  decodePageCursor,
  encodePageCursor,
  fillPage,
  InvalidInputError,
  isSessionHandle,
  PAGE_MAX_BYTES_DEFAULT,
  type PageRequest,
} from '../../core/index.js';
import { allPages, idsOf } from '../support/all-pages.js';
import { ManualClock } from '../support/manual-clock.js';

const ID = 'Ab-_.9e3779b188ed497288b131';
const anyPosition = () => true;
const refused = (cursor: string, userId: string | undefined) =>
  expect(() => decodePageCursor(cursor, userId, isSessionHandle), cursor).toThrow(InvalidInputError);

describe('the page cursor', () => {
  it('round-trips a position in its own listing, and only there', () => {
    for (const userId of [undefined, 'alice', 'a:b', '{a}*', 'ü', '']) {
      const cursor = encodePageCursor(userId, ID);
      expect(decodePageCursor(cursor, userId, isSessionHandle)).toBe(ID);
      for (const other of [undefined, 'alice', 'alice ', 'Alice', 'a', 'ü', '']) if (other !== userId) refused(cursor, other);
    }
  });

  it('refuses cursors tampered, truncated, padded, re-encoded or not UTF-8', () => {
    const good = encodePageCursor('alice', ID);
    const text = Buffer.from(good, 'base64url').toString('utf8');
    const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
    const bad = [
      '',
      'x',
      'A'.repeat(2048),
      ...Array.from({ length: good.length - 1 }, (_, n) => good.slice(0, n + 1)),
      good.slice(1),
      `${good}A`,
      `${good}=`,
      base64url(` ${text}`),
      base64url(text.replace('"alice"', '"\\u0061lice"')),
      base64url(text.toUpperCase()),
      base64url(JSON.stringify([ID, 'alice', 'extra'])),
      base64url(JSON.stringify([ID, 'bob'])),
      base64url(JSON.stringify([ID])),
      base64url(JSON.stringify({ 0: ID, 1: 'alice' })),
      base64url(JSON.stringify([ID.replace('.', '-'), 'alice'])),
      base64url(JSON.stringify(['', 'alice'])),
      base64url(JSON.stringify([1, 'alice'])),
      base64url(Buffer.from([0x5b, 0x22, 0xc3, 0x28, 0x22, 0x5d])),
    ];
    for (const cursor of bad) refused(cursor, 'alice');
  });

  it('is within the form the core accepts for the longest user id', () => {
    // 256 characters that grow most in UTF-8 JSON: astral letters (4 bytes per 2 units), quotes.
    for (const userId of ['𝒜'.repeat(128), '"'.repeat(256), '\\'.repeat(256), 'ü'.repeat(256)]) {
      expect(checkCursor(encodePageCursor(userId, ID))).toBeDefined();
    }
  });

  it('decodes any text either to exactly what it encodes, or refuses it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), fc.option(fc.string({ maxLength: 8 }), { nil: undefined }), (cursor, userId) => {
        let position: string;
        try {
          position = decodePageCursor(cursor, userId, anyPosition);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidInputError);
          return;
        }
        expect(encodePageCursor(userId, position)).toBe(cursor);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('fillPage', () => {
  const page = (limit: number, maxBytes?: number): PageRequest => ({ limit, ...(maxBytes === undefined ? {} : { maxBytes }) });
  const sizes = (values: number[], request: PageRequest) => fillPage(values, request, (size) => size);

  it('takes by count and by bytes, and always the first', () => {
    expect(sizes([1, 2, 3], page(2))).toEqual({ taken: [1, 2], more: true });
    expect(sizes([1, 2, 3], page(5))).toEqual({ taken: [1, 2, 3], more: false });
    expect(sizes([4, 4, 4], page(5, 8))).toEqual({ taken: [4, 4], more: true });
    expect(sizes([4, 5], page(5, 8))).toEqual({ taken: [4], more: true });
    expect(sizes([100, 1], page(5, 8))).toEqual({ taken: [100], more: true });
    expect(sizes([], page(5, 8))).toEqual({ taken: [], more: false });
  });

  it('bounds a page to 4 MiB unless told otherwise', () => {
    const mib = 1024 * 1024;
    expect(PAGE_MAX_BYTES_DEFAULT).toBe(4 * mib);
    expect(sizes([mib, mib, mib, mib, 1], page(1000)).taken).toHaveLength(4);
  });
});

describe('the service', () => {
  it('bounds pages by its maxPageBytes limit', async () => {
    const service = createSessionService({ store: new MemorySessionStore(), clock: new ManualClock(Date.UTC(2026, 0, 1)), limits: { maxPageBytes: 30 } });
    for (let i = 0; i < 5; i++) await service.create({ userId: 'alice', data: { n: 'x'.repeat(10) } });
    // Each session's data is {"n":"xxxxxxxxxx"}, 18 bytes: one a page, however many are asked for.
    const pages = await allPages((cursor) => service.listByUser('alice', { limit: 1000, cursor }));
    expect(pages[0]?.sessions).toHaveLength(1);
    expect(pages[0]?.nextCursor).not.toBeNull();
    expect(new Set(idsOf(pages)).size).toBe(5);
    expect((await createSessionService({ store: new MemorySessionStore() }).list()).nextCursor).toBeNull();
  });
});
