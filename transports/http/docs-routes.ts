import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as z from 'zod';
import { HttpProblem } from './problem.js';
import { defineRoute, type Route } from './route.js';

// Swagger UI's files come from the npm package, never a CDN: clusters are often offline.
const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>session-api reference</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/start.js"></script>
</body>
</html>
`;

// validatorUrl null: Swagger UI would otherwise send the document to an online validator.
const start = `window.ui = SwaggerUIBundle({
  url: '/openapi.json', dom_id: '#reference', validatorUrl: null, deepLinking: true,
  docExpansion: 'list', defaultModelsExpandDepth: 0, tryItOutEnabled: false
});
`;

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

// Read on first request and kept: the bundle is large and most instances are never asked.
const files = new Map<string, { type: string; body: () => string }>([
  ['start.js', { type: JS, body: () => start }],
  ['swagger-ui.css', { type: CSS, body: () => readFileSync(join(swaggerUiDir, 'swagger-ui.css'), 'utf8') }],
  ['swagger-ui-bundle.js', { type: JS, body: () => readFileSync(join(swaggerUiDir, 'swagger-ui-bundle.js'), 'utf8') }],
]);
const read = new Map<string, string>();

const text = (example: string) => z.string().meta({ examples: [example] });

/** `/openapi.json` and the human reference at `/docs`. */
export const docsRoutes: readonly Route[] = [
  defineRoute({
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApiDocument',
    summary: 'This document',
    description: 'The OpenAPI 3.1 document of the API, generated from the route table the service runs.',
    tag: 'operations',
    auth: 'public',
    request: {},
    responses: {
      200: { description: 'OpenAPI 3.1.', schema: z.looseObject({ openapi: z.string() }).meta({ examples: [{ openapi: '3.1.0' }] }) },
    },
    problems: [],
    cacheControl: null,
    handle: (_input, { documentJson }) => ({ status: 200, body: documentJson }),
  }),
  defineRoute({
    method: 'get',
    path: '/docs',
    operationId: 'docsPage',
    summary: 'This reference, for humans',
    description: 'Swagger UI over /openapi.json, served from the package itself (no CDN).',
    tag: 'operations',
    auth: 'public',
    request: {},
    responses: { 200: { description: 'An HTML page.', mediaType: 'text/html', schema: text('<!doctype html>') } },
    problems: [],
    cacheControl: null,
    handle: () => ({ status: 200, body: page, type: 'text/html; charset=utf-8' }),
  }),
  defineRoute({
    method: 'get',
    path: '/docs/{file}',
    operationId: 'docsFile',
    summary: 'A file of the reference page',
    description: 'Swagger UI\u2019s script and style sheet, and the script that starts it.',
    tag: 'operations',
    auth: 'public',
    request: {
      params: z.strictObject({
        file: z.string().meta({ description: `One of ${[...files.keys()].join(', ')}.`, examples: ['swagger-ui.css'] }),
      }),
    },
    responses: {
      200: { description: 'The file.', mediaType: ['text/javascript', 'text/css'], schema: text('window.ui = SwaggerUIBundle({})') },
    },
    problems: ['no-route'],
    cacheControl: 'public, max-age=86400',
    handle({ params }) {
      const file = files.get(params.file);
      if (!file) throw new HttpProblem('no-route', `No route for GET /docs/${params.file}.`);
      let body = read.get(params.file);
      if (body === undefined) read.set(params.file, (body = file.body()));
      return { status: 200, body, type: file.type };
    },
  }),
];
