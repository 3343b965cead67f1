import { probeStatus } from './api-schemas.js';
import { HttpProblem } from './problem.js';
import { defineRoute, type Route } from './route.js';

/** The Kubernetes probes: `/health` says the process is alive, `/ready` that it should get traffic. */
export const probeRoutes: readonly Route[] = [
  defineRoute({
    method: 'get',
    path: '/health',
    operationId: 'health',
    summary: 'Liveness: the process answers',
    description: 'Answers as long as the process runs; it never asks the store.',
    tag: 'operations',
    auth: 'public',
    request: {},
    responses: { 200: { description: 'Alive.', schema: probeStatus } },
    problems: [],
    cacheControl: null,
    handle: () => ({ status: 200, body: { status: 'ok' } }),
  }),
  defineRoute({
    method: 'get',
    path: '/ready',
    operationId: 'ready',
    summary: 'Readiness: the store answers and the process is not shutting down',
    description: 'Asks the store; 503 while it does not answer or once the process is shutting down.',
    tag: 'operations',
    auth: 'public',
    request: {},
    responses: { 200: { description: 'Ready.', schema: probeStatus } },
    problems: ['store-unavailable', 'draining'],
    cacheControl: null,
    async handle(_input, { service, isDraining }) {
      if (isDraining()) throw new HttpProblem('draining', 'This instance is shutting down.', { 'Retry-After': '1' });
      await service.ready();
      return { status: 200, body: { status: 'ready' } };
    },
  }),
];
