import Router from '@koa/router';
import Koa from 'koa';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import getRawBody from 'raw-body';
import { toWireSession } from '../transports/http/index.js';
import { benchSession } from './session-fixture.js';

// The body every bare route answers (with the id of the request, or a new one on POST): the wire
// form of a benchmark session, as the service sends it.
const wireSession = toWireSession(benchSession('0b9c7f5e-3d1a-4c2b-8e6f-1a2b3c4d5e6f', Date.UTC(2026, 0, 1)));

/**
 * The ceiling for Koa: the same three routes on Koa and @koa/router, reading and parsing the
 * JSON body where there is one and answering the same JSON, with no store and no checks.
 */
export function bareKoaServer(): Server {
  const app = new Koa();
  const router = new Router();
  router.get('/sessions/:id', (ctx) => {
    ctx.body = { ...wireSession, id: ctx.params.id };
  });
  router.post('/sessions', async (ctx) => {
    JSON.parse((await getRawBody(ctx.req)).toString('utf8'));
    ctx.status = 201;
    ctx.body = { ...wireSession, id: randomUUID() };
  });
  router.put('/sessions/:id', async (ctx) => {
    JSON.parse((await getRawBody(ctx.req)).toString('utf8'));
    ctx.body = { ...wireSession, id: ctx.params.id };
  });
  app.use(router.routes());
  return createServer(app.callback());
}

/** The ceiling for Node itself: the same routes on a bare `node:http` handler. */
export function bareNodeServer(): Server {
  return createServer((req, res) => {
    const id = req.url?.startsWith('/sessions/') ? req.url.slice('/sessions/'.length) : undefined;
    const answer = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && id !== undefined) return answer(200, { ...wireSession, id });
    if ((req.method === 'POST' && req.url === '/sessions') || (req.method === 'PUT' && id !== undefined)) {
      void readJson(req).then(
        () => answer(req.method === 'POST' ? 201 : 200, { ...wireSession, id: id ?? randomUUID() }),
        () => answer(400, { status: 400 }),
      );
      return;
    }
    answer(404, { status: 404 });
  });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}
