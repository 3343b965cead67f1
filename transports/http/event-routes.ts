import type { EventPage } from '../../core/index.js';
import { eventPage, eventsQuery } from './api-schemas.js';
import { waitForEvents } from './event-wait.js';
import { defineRoute, type Reply, type Route } from './route.js';
import { toWireEvent } from '../wire/wire-event.js';

/** `GET /events`: the pull API of the lifecycle events. */
export const eventRoutes: readonly Route[] = [
  defineRoute({
    method: 'get',
    path: '/events',
    operationId: 'listEvents',
    summary: 'Read lifecycle events in order, waiting for new ones',
    description:
      'Answers up to `limit` events after `after` (from the oldest kept, EVENTS_RETENTION_HOURS, without it), in order: a ' +
      'session\u2019s events in the order they happened. Pass the answer\u2019s `cursor` as `after` to read on; a page with ' +
      'fewer events than `limit`, even none, does not mean the log ended. With `waitSeconds`, when no event is new the ' +
      'answer waits up to that long for one (a long poll) and comes as soon as one is recorded, by any process. Events ' +
      'carry no token and no data. 404 events-disabled unless the service runs with EVENTS_ENABLED=true; a cursor this ' +
      'log did not issue is 400.',
    tag: 'events',
    auth: 'api-token',
    request: { query: eventsQuery },
    responses: { 200: { description: 'Events, and where to read on.', schema: eventPage } },
    problems: ['events-disabled', 'store-unavailable'],
    async handle({ query }, { service, isDraining, countEvents }, ctx) {
      const limit = query.limit;
      const first = await service.readEvents({ after: query.after, limit });
      const waitSeconds = query.waitSeconds ?? 0;
      if (first.events.length > 0 || waitSeconds === 0) return pageReply(first, countEvents);
      const gone = new AbortController();
      const abort = (): void => gone.abort();
      // 'close' on the response before it is sent: the client went away.
      ctx.res.once('close', abort);
      try {
        const page = await waitForEvents(first, (after) => service.readEvents({ after, limit }), {
          waitMs: waitSeconds * 1000,
          intervalMs: service.eventPollIntervalMs,
          signal: gone.signal,
          isDraining,
        });
        return pageReply(page, countEvents);
      } finally {
        ctx.res.off('close', abort);
      }
    },
  }),
];

function pageReply(page: EventPage, countEvents: ((page: EventPage) => void) | undefined): Reply {
  countEvents?.(page);
  return { status: 200, body: { events: page.events.map(toWireEvent), cursor: page.cursor } };
}
