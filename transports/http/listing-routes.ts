import type { Page } from '../../core/index.js';
import { deleteUserQuery, pageQuery, sessionPage, userIdPath, userSessionCount, userSessionsDeleted } from './api-schemas.js';
import { defineRoute, type Reply, type Route } from './route.js';
import { toWireSession } from './wire-session.js';

function pageReply(page: Page): Reply {
  return { status: 200, body: { sessions: page.sessions.map(toWireSession), count: page.sessions.length, nextCursor: page.nextCursor } };
}

/** The listings, and log out everywhere. */
export const listingRoutes: readonly Route[] = [
  defineRoute({
    method: 'get',
    path: '/sessions',
    operationId: 'listSessions',
    summary: 'List all live sessions, a page at a time',
    description: 'Pages through every live session; each appears exactly once across the pages of a quiescent store.',
    tag: 'listings',
    auth: 'api-token',
    request: { query: pageQuery },
    responses: { 200: { description: 'A page.', schema: sessionPage } },
    problems: ['store-unavailable'],
    async handle({ query }, { service }) {
      return pageReply(await service.list(query));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/sessions/user/{userId}',
    operationId: 'listUserSessions',
    summary: 'List one user\u2019s live sessions, a page at a time',
    description: 'Pages through one user\u2019s live sessions; an unknown user has an empty page.',
    tag: 'listings',
    auth: 'api-token',
    request: { params: userIdPath, query: pageQuery },
    responses: { 200: { description: 'A page.', schema: sessionPage } },
    problems: ['store-unavailable'],
    async handle({ params, query }, { service }) {
      return pageReply(await service.listByUser(params.userId, query));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/sessions/user/{userId}/count',
    operationId: 'countUserSessions',
    summary: 'Count one user\u2019s live sessions',
    description: 'How many of the user\u2019s sessions are live; 0 for an unknown user. One store call.',
    tag: 'listings',
    auth: 'api-token',
    request: { params: userIdPath },
    responses: { 200: { description: 'The count.', schema: userSessionCount } },
    problems: ['store-unavailable'],
    async handle({ params }, { service }) {
      return { status: 200, body: { count: await service.countByUser(params.userId) } };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/sessions/user/{userId}',
    operationId: 'deleteUserSessions',
    summary: 'End all of a user\u2019s sessions (log out everywhere), or all but one (log out other devices)',
    description:
      'Ends every session of the user, or every one but `except`. One store call; stores with many sessions per user work in short atomic batches, so a session created meanwhile may survive.',
    tag: 'listings',
    auth: 'api-token',
    request: { params: userIdPath, query: deleteUserQuery },
    responses: { 200: { description: 'How many live sessions were ended.', schema: userSessionsDeleted } },
    problems: ['store-unavailable'],
    async handle({ params, query }, { service }) {
      return { status: 200, body: { deleted: await service.deleteByUser(params.userId, { except: query.except }) } };
    },
  }),
];
