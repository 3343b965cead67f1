// Every type here is inferred from the very zod schemas the server validates with and builds its
// OpenAPI document from (transports/http/api-schemas.ts). They are imported as types only, so the
// client's JavaScript loads neither zod nor koa, and a schema change on the server changes these
// types in the same compile: there is no generated file that can fall behind.
import type * as z from 'zod';
import type {
  createdSession,
  createSessionBody,
  eventPage,
  probeStatus,
  problemDetails,
  rotateSessionBody,
  sessionDeleted,
  sessionPage,
  userSessionCount,
  userSessionsDeleted,
  wireEvent,
  wireSession,
} from '../transports/http/api-schemas.js';
import type { ProblemKind } from '../transports/http/problem-catalogue.js';

/** A session as the API answers it: ISO-8601 UTC times, its version, its context fields when it has them. */
export interface ApiSession extends Readonly<z.output<typeof wireSession>> {}

/** What `create` and `rotate` answer: the session, its token (shown only here) and the handles a cap evicted. */
export interface CreatedApiSession extends Readonly<z.output<typeof createdSession>> {}

/** The body of `create`: all optional; an empty object starts an anonymous session. */
export interface CreateSessionInput extends Readonly<z.input<typeof createSessionBody>> {}

/** The body of `rotate`: a new user (a login), the old token's grace and the login's context. */
export interface RotateSessionInput extends Readonly<z.input<typeof rotateSessionBody>> {}

/** One page of a listing. */
export interface ApiSessionPage extends Readonly<z.output<typeof sessionPage>> {}

/** What `delete` answers. */
export interface DeletedApiSession extends Readonly<z.output<typeof sessionDeleted>> {}

/** What `countByUser` answers. */
export interface UserSessionCount extends Readonly<z.output<typeof userSessionCount>> {}

/** What `deleteByUser` answers: how many live sessions were ended. */
export interface UserSessionsDeleted extends Readonly<z.output<typeof userSessionsDeleted>> {}

/** A lifecycle event as the API answers it: no token, no data; ISO-8601 UTC times. */
export interface ApiEvent extends Readonly<z.output<typeof wireEvent>> {}

/** What `readEvents` answers: events in order, and the cursor to read on from. */
export interface ApiEventPage extends Readonly<z.output<typeof eventPage>> {}

/** What `health` and `ready` answer. */
export interface ProbeStatus extends Readonly<z.output<typeof probeStatus>> {}

/** An RFC 9457 problem body as the service sends it. */
export interface ProblemBody extends Readonly<z.output<typeof problemDetails>> {}

/** The slug of a problem the service answers (the last part of its `type`), from the server's catalogue. */
export type ProblemSlug = ProblemKind;
