import type { SessionClient } from './session-client.js';

/** How the client calls one route of the service. */
export interface ClientRoute {
  /** The route's `operationId` in the server's route table and the OpenAPI document. */
  readonly operationId: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path template, as the route table writes it: `/sessions/{id}`. */
  readonly path: string;
  /** The statuses that are an answer, not an error. */
  readonly statuses: readonly number[];
  /** The query parameters the client sends. */
  readonly query: readonly string[];
  /** The request headers the client sends, besides Authorization and Content-Type. */
  readonly headers: readonly string[];
  /** `json` for a JSON body, `text` for a text answer (metrics). */
  readonly answers: 'json' | 'text';
  /** Set on a probe: its 503 is the answer (the state now), so it is never retried. */
  readonly once?: true;
  /** The client's methods that call it. */
  readonly calls: readonly (keyof SessionClient)[];
}

const sessionWrite = ['If-Match'] as const;
const page = ['limit', 'cursor'] as const;

/**
 * Every route of the service the client calls, as the route table declares it. The drift test
 * (test/client/route-drift.test.ts) holds this list against the server's table: a route added,
 * moved or given another method there fails it until the client follows.
 */
export const CLIENT_ROUTES = {
  createSession: { operationId: 'createSession', method: 'POST', path: '/sessions', statuses: [201], query: [], headers: [], answers: 'json', calls: ['create'] },
  getCurrentSession: {
    operationId: 'getCurrentSession',
    method: 'GET',
    path: '/sessions/current',
    statuses: [200, 304],
    query: ['maxAuthAgeSeconds'],
    headers: ['Session-Token', 'If-None-Match'],
    answers: 'json',
    calls: ['resolve', 'resolveIfChanged'],
  },
  getSession: {
    operationId: 'getSession',
    method: 'GET',
    path: '/sessions/{id}',
    statuses: [200, 304],
    query: ['maxAuthAgeSeconds'],
    headers: ['If-None-Match'],
    answers: 'json',
    calls: ['get', 'getIfChanged'],
  },
  replaceSessionData: { operationId: 'replaceSessionData', method: 'PUT', path: '/sessions/{id}', statuses: [200], query: [], headers: sessionWrite, answers: 'json', calls: ['replace'] },
  mergeSessionData: { operationId: 'mergeSessionData', method: 'PATCH', path: '/sessions/{id}', statuses: [200], query: [], headers: sessionWrite, answers: 'json', calls: ['patch'] },
  refreshSession: { operationId: 'refreshSession', method: 'POST', path: '/sessions/{id}/refresh', statuses: [200], query: [], headers: sessionWrite, answers: 'json', calls: ['refresh'] },
  rotateSession: { operationId: 'rotateSession', method: 'POST', path: '/sessions/{id}/rotate', statuses: [200], query: [], headers: sessionWrite, answers: 'json', calls: ['rotate'] },
  deleteSession: { operationId: 'deleteSession', method: 'DELETE', path: '/sessions/{id}', statuses: [200], query: [], headers: sessionWrite, answers: 'json', calls: ['delete'] },
  listSessions: { operationId: 'listSessions', method: 'GET', path: '/sessions', statuses: [200], query: page, headers: [], answers: 'json', calls: ['list', 'listAll'] },
  listUserSessions: {
    operationId: 'listUserSessions',
    method: 'GET',
    path: '/sessions/user/{userId}',
    statuses: [200],
    query: page,
    headers: [],
    answers: 'json',
    calls: ['listByUser', 'listAllByUser'],
  },
  countUserSessions: { operationId: 'countUserSessions', method: 'GET', path: '/sessions/user/{userId}/count', statuses: [200], query: [], headers: [], answers: 'json', calls: ['countByUser'] },
  deleteUserSessions: { operationId: 'deleteUserSessions', method: 'DELETE', path: '/sessions/user/{userId}', statuses: [200], query: ['except'], headers: [], answers: 'json', calls: ['deleteByUser'] },
  listEvents: {
    operationId: 'listEvents',
    method: 'GET',
    path: '/events',
    statuses: [200],
    query: ['after', 'limit', 'waitSeconds'],
    headers: [],
    answers: 'json',
    calls: ['readEvents', 'events'],
  },
  health: { operationId: 'health', method: 'GET', path: '/health', statuses: [200], query: [], headers: [], answers: 'json', calls: ['health'] },
  ready: { operationId: 'ready', method: 'GET', path: '/ready', statuses: [200], query: [], headers: [], answers: 'json', once: true, calls: ['ready'] },
  metrics: { operationId: 'metrics', method: 'GET', path: '/metrics', statuses: [200], query: [], headers: [], answers: 'text', calls: ['metrics'] },
  openApiDocument: { operationId: 'openApiDocument', method: 'GET', path: '/openapi.json', statuses: [200], query: [], headers: [], answers: 'json', calls: ['openApiDocument'] },
} as const satisfies Record<string, ClientRoute>;

/** The operation of a route the client calls. */
export type ClientOperation = keyof typeof CLIENT_ROUTES;

/**
 * Routes of the table the client leaves out on purpose, and why. The drift test accepts a route
 * of the table only when it is in CLIENT_ROUTES or here.
 */
export const ROUTES_NOT_CALLED: Readonly<Record<string, string>> = {
  docsPage: 'Swagger UI, for people in a browser.',
  docsFile: 'The scripts and style sheet of that page.',
};
