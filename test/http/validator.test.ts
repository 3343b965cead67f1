import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ROUTE_TABLE } from '../../transports/http/route-table.js';
import { validate, validator } from '../../transports/http/validate.js';

/** What a check gives: the output, or the 400's detail. */
function outcome(check: () => unknown): { data: unknown } | { detail: string } {
  try {
    return { data: check() };
  } catch (error) {
    return { detail: (error as Error).message };
  }
}

/** Every request schema of the table (path, headers, query and body of each route), and two of each object kind. */
const schemas: [string, z.ZodType][] = [
  ...ROUTE_TABLE.flatMap((route) =>
    (['params', 'headers', 'query', 'body'] as const).flatMap((part): [string, z.ZodType][] => {
      const schema = route.request[part];
      return schema ? [[`${route.operationId} ${part}`, schema]] : [];
    }),
  ),
  ['strict, required and optional strings', z.strictObject({ a: z.string(), b: z.string().optional() })],
  ['stripping, a checked string', z.object({ a: z.string().min(2).optional(), b: z.string() })],
];

// Keys a schema has, keys it has not, and keys that are traps for a plain object.
const key = fc.constantFrom('id', 'userId', 'file', 'If-Match', 'If-None-Match', 'Session-Token', 'maxAuthAgeSeconds', 'limit', 'cursor', 'except', 'data', 'a', 'b', 'other', '__proto__', 'constructor');
const value = fc.oneof(fc.string(), fc.constantFrom('', '1', '12', 'x'.repeat(3000)), fc.array(fc.string(), { maxLength: 2 }), fc.integer(), fc.constant(undefined), fc.constant(null), fc.jsonValue({ maxDepth: 1 }));
const input = fc.oneof(
  { weight: 8, arbitrary: fc.dictionary(key, value, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, 'text', 3, ['id'], Object.create(null) as object) },
);

describe('the precompiled validator', () => {
  it.each(schemas)('%s: passes, refuses and explains exactly as zod does', (_, schema) => {
    const check = validator(schema, 'part');
    fc.assert(
      fc.property(input, (sent) => {
        expect(outcome(() => check(sent))).toEqual(outcome(() => validate(schema, sent, 'part')));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the fields in the schema\u2019s order, and no field that was not sent', () => {
    const check = validator(z.strictObject({ a: z.string().optional(), b: z.string() }), 'part');
    expect(Object.keys(check({ b: '2', a: '1' }) as object)).toEqual(['a', 'b']);
    expect(Object.keys(check({ b: '2' }) as object)).toEqual(['b']);
  });
});
