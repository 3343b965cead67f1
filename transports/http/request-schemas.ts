import * as z from 'zod';
import { isPlainObject, PAGE_LIMIT_MAX, type JsonObject } from '../../core/index.js';

// The object is taken as parsed, not rebuilt: a rebuilt record would drop keys like `__proto__`
// that the API promises to store as plain data. The core checks depth and size.
const sessionData = z
  .custom<JsonObject>((value) => isPlainObject(value), { message: 'must be a JSON object' })
  .meta({ type: 'object', description: 'Any JSON object; keys and values are stored as sent.' });

/** `POST /sessions` */
export const createSessionBody = z.strictObject({
  userId: z.string().min(1).max(256).meta({ description: 'Whose session this is.' }),
  data: sessionData.optional(),
  ttlSeconds: z.int().min(1).optional().meta({ description: 'This session\u2019s own lifetime, within the policy maximum.' }),
});

/** `PUT /sessions/{id}` and `PATCH /sessions/{id}` */
export const sessionDataBody = z.strictObject({ data: sessionData });

/** The query of both listings. */
export const pageQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^[0-9]{1,4}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(1).max(PAGE_LIMIT_MAX))
    .optional(),
  cursor: z.string().max(2048).optional(),
});
