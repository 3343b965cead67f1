import * as z from 'zod';
import { isPlainObject, PAGE_LIMIT_MAX, type JsonObject } from '../../core/index.js';

// One schema per request and response: routes validate with them and the OpenAPI document is
// generated from them, so the two cannot drift apart.

// The object is taken as parsed, not rebuilt: a rebuilt record would drop keys like `__proto__`
// that the API promises to store as plain data. The core checks depth and size.
const sessionData = z
  .custom<JsonObject>((value) => isPlainObject(value), { message: 'must be a JSON object' })
  .meta({ type: 'object', description: 'Any JSON object; keys and values are stored as sent.' });

/** `POST /sessions` */
export const createSessionBody = z
  .strictObject({
    userId: z.string().min(1).max(256).meta({ description: 'Whose session this is.' }),
    data: sessionData.optional(),
    ttlSeconds: z.int().min(1).max(Number.MAX_SAFE_INTEGER).optional().meta({ description: 'This session\u2019s own lifetime, within the policy maximum.' }),
  })
  .meta({ id: 'CreateSession' });

/** `PUT /sessions/{id}` and `PATCH /sessions/{id}` */
export const sessionDataBody = z.strictObject({ data: sessionData }).meta({ id: 'SessionData' });

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

const instant = z.iso.datetime({ precision: 3 }).meta({ description: 'ISO-8601 UTC with milliseconds.' });

/** A session on the wire. */
export const wireSession = z
  .strictObject({
    id: z.uuid({ version: 'v4' }),
    userId: z.string(),
    data: sessionData,
    createdAt: instant,
    updatedAt: instant,
    expiresAt: instant,
    version: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
  })
  .meta({ id: 'Session' });

/** One page of a listing. */
export const sessionPage = z
  .strictObject({
    sessions: z.array(wireSession),
    count: z.int().min(0).max(PAGE_LIMIT_MAX),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  })
  .meta({ id: 'SessionPage' });

/** `DELETE /sessions/{id}` */
export const sessionDeleted = z.strictObject({ deleted: z.literal(true), id: z.uuid() }).meta({ id: 'SessionDeleted' });

/** `DELETE /sessions/user/{userId}` */
export const userSessionsDeleted = z
  .strictObject({ deleted: z.int().min(0).max(Number.MAX_SAFE_INTEGER) })
  .meta({ id: 'UserSessionsDeleted' });

/** `GET /health`, `GET /ready` */
export const probeStatus = z.strictObject({ status: z.enum(['ok', 'ready']) }).meta({ id: 'ProbeStatus' });

/** RFC 9457 problem details: the body of every error. */
export const problemDetails = z
  .strictObject({
    type: z.string(),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string(),
  })
  .meta({ id: 'Problem' });
