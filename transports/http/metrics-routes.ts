import * as z from 'zod';
import { defineRoute, type Route } from './route.js';

/** `GET /metrics` in the Prometheus text format, when the app is given a registry. */
export const metricsRoutes: readonly Route[] = [
  defineRoute({
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics',
    description: 'Requests, store operations and the process, in the Prometheus text format.',
    tag: 'operations',
    auth: 'metrics-token',
    request: {},
    responses: {
      200: {
        description: 'Prometheus text exposition format.',
        mediaType: 'text/plain',
        schema: z.string().meta({ examples: ['http_requests_total{method="GET",route="/health",status="200"} 1'] }),
      },
    },
    problems: [],
    cacheControl: null,
    servedWith: (deps) => deps.registry !== undefined,
    async handle(_input, { registry }) {
      return { status: 200, body: (await registry?.metrics()) ?? '', type: registry?.contentType ?? 'text/plain' };
    },
  }),
];
