import * as z from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from 'zod-openapi';
import { SESSION_EVENT_REASONS, SESSION_EVENT_TYPES, type SessionEventType, type SessionUpdateCause } from '../../core/index.js';
import { eventFields } from './api-schemas.js';

const UPDATE_CAUSES = ['replace', 'patch'] as const satisfies readonly SessionUpdateCause[];
const DELETE_REASONS = SESSION_EVENT_REASONS.filter((reason) => !(UPDATE_CAUSES as readonly string[]).includes(reason));

const { id, time, recordedAt, sessionId, userId, version, previousId, graceUntil } = eventFields;

/** Each type: when it is sent, and the fields it carries beyond those of every event. */
const TYPES: Record<SessionEventType, { readonly when: string; readonly fields: z.ZodRawShape }> = {
  'session.created': { when: 'A session was created (`POST /sessions`).', fields: {} },
  'session.updated': {
    when: 'A session\u2019s data was replaced (`PUT`, reason `replace`) or merged (`PATCH`, reason `patch`).',
    fields: { reason: z.enum(UPDATE_CAUSES) },
  },
  'session.refreshed': {
    when: 'A refresh moved a session\u2019s `expiresAt` (a refresh within the touch interval, or one the absolute timeout holds, sends none).',
    fields: {},
  },
  'session.rotated': {
    when: 'A session moved to a new handle (`POST /sessions/{id}/rotate`): `sessionId` is the new handle, `previousId` the old. A `session.deleted` of the old handle (reason `rotated`) comes with it.',
    fields: { previousId: previousId.unwrap() },
  },
  'session.deleted': {
    when:
      'A session ended: `logout` (DELETE by handle), `logout-everywhere` / `logout-others` (DELETE of a user\u2019s sessions, without or with `except`), ' +
      '`evicted` (the user\u2019s cap, for a create or a login), `rotated` (the old handle of a rotation; `graceUntil` says until when its token still resolves).',
    fields: { reason: z.enum(DELETE_REASONS as [string, ...string[]]), graceUntil },
  },
  'session.expired': {
    when: 'A session passed its deadline: `time` is its `expiresAt`, `recordedAt` when a sweeper claimed it (within about EVENTS_EXPIRY_LAG_SECONDS). Exactly one per expired session.',
    fields: { recordedAt: recordedAt.unwrap() },
  },
};

/** The Standard Webhooks headers of every delivery. */
const webhookHeaders = z.object({
  'webhook-id': z.string().meta({
    description: 'The event\u2019s id (the payload\u2019s `data.id`): the same on every retry, so a receiver that has seen it can answer 2xx and skip it.',
    examples: ['0-17'],
  }),
  'webhook-timestamp': z.string().regex(/^[0-9]+$/).meta({
    description: 'When this attempt was signed, in whole seconds since the epoch; refuse deliveries too far from your clock (replays).',
    examples: ['1767225600'],
  }),
  'webhook-signature': z.string().meta({
    description:
      '`v1,<base64>`: the base64 of HMAC-SHA256 keyed with the base64-decoded part of WEBHOOK_SECRET after `whsec_`, over ' +
      '`<webhook-id>.<webhook-timestamp>.<body>` (the raw body, byte for byte); a space-separated list when several keys sign. ' +
      'Accept the delivery if one matches, compared in constant time.',
    examples: ['v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4='],
  }),
});

function deliveryOf(type: SessionEventType): ZodOpenApiOperationObject {
  const { when, fields } = TYPES[type];
  const typeTag = z.literal(type);
  const data = z
    .strictObject({ id, type: typeTag, time, sessionId, userId, version, ...fields })
    .meta({ description: `The event, as \`GET /events\` answers it: ${when}` });
  const name = type.replace(/^session\.(.)/, (_, first: string) => `Session${first.toUpperCase()}`);
  const payload = z
    .strictObject({
      type: typeTag,
      timestamp: time.meta({ description: 'When the event happened (the same as `data.time`), not when it was sent.' }),
      data,
    })
    .meta({ id: `${name}Webhook`, description: `The body of a ${type} webhook (the Standard Webhooks envelope).` });
  return {
    operationId: `${name.charAt(0).toLowerCase()}${name.slice(1)}Webhook`,
    summary: `${type}: ${when.split(/[(:.]/)[0]?.trim() ?? ''}`,
    description:
      `${when} Posted to each of WEBHOOK_URLS (EVENTS_ENABLED=true), signed as Standard Webhooks says. Each receiver gets every event at least once, ` +
      'a session\u2019s events in order; a delivery that is not answered 2xx in time (redirects count as failures) is retried with exponential ' +
      'backoff and jitter for WEBHOOK_RETRY_HOURS from the event\u2019s time, and only then dropped. A slow or dead receiver delays no other and no request.',
    tags: ['events'],
    requestParams: { header: webhookHeaders },
    requestBody: { required: true, content: { 'application/json': { schema: payload } } },
    responses: {
      '2XX': { description: 'Delivered: the receiver has it (the body is not read). Anything else is retried.' },
    },
  };
}

/** The `webhooks` of the OpenAPI 3.1 document: one per event type, what its body holds and how it is signed. */
export function webhooksDocument(): ZodOpenApiPathsObject {
  return Object.fromEntries(SESSION_EVENT_TYPES.map((type) => [type, { post: deliveryOf(type) }]));
}
