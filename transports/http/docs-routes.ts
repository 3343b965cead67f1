import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Router from '@koa/router';
import { ROUTER_OPTIONS } from './router-options.js';

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

/** `/openapi.json` and the human reference at `/docs`. */
export function docsRoutes(document: object): Router {
  const router = new Router(ROUTER_OPTIONS);
  const documentJson = JSON.stringify(document);
  const assets = new Map<string, { type: string; body: string }>();
  const asset = (name: string, type: string) => {
    // Read on first request and kept: the bundle is large and most instances are never asked.
    let cached = assets.get(name);
    if (!cached) assets.set(name, (cached = { type, body: readFileSync(join(swaggerUiDir, name), 'utf8') }));
    return cached;
  };
  router.get('/openapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = documentJson;
  });
  router.get('/docs', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = page;
  });
  router.get('/docs/start.js', (ctx) => {
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = start;
  });
  for (const [name, type] of [
    ['swagger-ui.css', 'text/css; charset=utf-8'],
    ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
  ] as const) {
    router.get(`/docs/${name}`, (ctx) => {
      const { body } = asset(name, type);
      ctx.type = type;
      ctx.set('Cache-Control', 'public, max-age=86400');
      ctx.body = body;
    });
  }
  return router;
}
