import * as z from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { problemDetails } from './api-schemas.js';
import { PROBLEM_MEDIA_TYPE, PROBLEMS, type ProblemKind } from './problem-catalogue.js';
import { ROUTE_TAGS, type Route, type RouteResponse } from './route.js';
import { ROUTE_TABLE } from './route-table.js';
import { webhooksDocument } from './webhooks-document.js';

/** The problems a route can answer: its own, and those its auth rule and input bring. */
export function problemsOf(route: Route): ProblemKind[] {
  const { params, headers, query, body } = route.request;
  const kinds = new Set<ProblemKind>(route.problems);
  if (route.auth !== 'public') kinds.add('unauthorized');
  if (params) kinds.add('malformed-path').add('invalid-input');
  if (headers) kinds.add('malformed-header').add('invalid-input');
  if (query) kinds.add('invalid-input');
  if (body) kinds.add('invalid-input').add('malformed-body').add('unsupported-media-type').add('payload-too-large');
  return [...kinds];
}

const text = z.string();

function successResponse(response: RouteResponse) {
  const mediaTypes = typeof response.mediaType === 'string' ? [response.mediaType] : (response.mediaType ?? ['application/json']);
  return {
    description: response.description,
    ...(response.headers ? { headers: response.headers } : {}),
    ...(response.schema ? { content: Object.fromEntries(mediaTypes.map((type) => [type, { schema: response.schema ?? text }])) } : {}),
  };
}

function problemResponses(kinds: readonly ProblemKind[]): ZodOpenApiResponsesObject {
  const byStatus = new Map<number, ProblemKind[]>();
  for (const kind of kinds) byStatus.set(PROBLEMS[kind].status, [...(byStatus.get(PROBLEMS[kind].status) ?? []), kind]);
  const responses: ZodOpenApiResponsesObject = {};
  for (const [status, group] of [...byStatus].sort(([a], [b]) => a - b)) {
    const headers = Object.fromEntries(
      group.flatMap((kind) => Object.entries((PROBLEMS[kind] as { headers?: Record<string, string> }).headers ?? {})).map(([name, description]) => [
        name,
        { description, schema: { type: 'string' as const } },
      ]),
    );
    responses[`${status}` as `4${string}`] = {
      description: group.map((kind) => PROBLEMS[kind].description).join(' '),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      content: { [PROBLEM_MEDIA_TYPE]: { schema: problemDetails } },
    };
  }
  responses.default = { description: 'Any other error, as RFC 9457 problem details.', content: { [PROBLEM_MEDIA_TYPE]: { schema: problemDetails } } };
  return responses;
}

function operationOf(route: Route): ZodOpenApiOperationObject {
  const { params, headers, query, body } = route.request;
  const requestParams = {
    ...(params ? { path: params as z.ZodObject } : {}),
    ...(query ? { query: query as z.ZodObject } : {}),
    ...(headers ? { header: headers as z.ZodObject } : {}),
  };
  const success = Object.fromEntries(Object.entries(route.responses).map(([status, response]) => [status, successResponse(response)]));
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: route.description,
    tags: [route.tag],
    security: route.auth === 'public' ? [] : [{ bearer: [] }],
    ...(Object.keys(requestParams).length > 0 ? { requestParams } : {}),
    ...(body ? { requestBody: { required: route.request.bodyOptional !== true, content: { 'application/json': { schema: body } } } } : {}),
    responses: { ...success, ...problemResponses(problemsOf(route)) },
  };
}

/**
 * The OpenAPI 3.1 description of the API, made from the route table the router runs: each
 * route's schemas, auth rule and problems, so the document and the service cannot differ.
 */
export function openApiDocument(): Record<string, unknown> {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of ROUTE_TABLE) paths[route.path] = { ...paths[route.path], [route.method]: operationOf(route) };
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'session-api',
      version: '1',
      description:
        'Create, read, update, extend, list and end user sessions. Every error is application/problem+json (RFC 9457). ' +
        'Each session answer carries its version as a strong ETag: send it in If-Match to write only if nobody else wrote since, ' +
        'and in If-None-Match to poll a session cheaply (304 while it is unchanged). With EVENTS_ENABLED=true, what happens to sessions ' +
        'can be read in order from GET /events and is posted to WEBHOOK_URLS (see webhooks).',
      contact: { name: 'session-api maintainers' },
      license: { name: 'MIT', url: 'https://spdx.org/licenses/MIT.html' },
    },
    servers: [{ url: '/', description: 'The service that serves this document.' }],
    tags: Object.entries(ROUTE_TAGS)
      .map(([name, description]) => ({ name, description }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    paths,
    webhooks: webhooksDocument(),
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'One of API_TOKENS; required only when the service has tokens.' },
      },
    },
  }) as unknown as Record<string, unknown>;
}
