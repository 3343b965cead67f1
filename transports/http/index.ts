/**
 * The HTTP transport: a Koa app over the session service, made from one route table.
 * @packageDocumentation
 */
export { createHttpApp, DEFAULT_BODY_LIMIT_BYTES, type HttpAppOptions } from './create-http-app.js';
export {
  createHttpServer,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type HttpHandler,
  type HttpServer,
  type HttpServerOptions,
} from './create-http-server.js';
export { openApiDocument } from './openapi-document.js';
export { routeOf } from './route-of.js';
export { silentLogger, type HttpLogger } from './http-logger.js';
export { HttpProblem, PROBLEM_MEDIA_TYPE, problemFor, problemType, type Problem } from './problem.js';
export { PROBLEMS, type ProblemKind } from './problem-catalogue.js';
export { toWireSession, type WireSession } from './wire-session.js';
export { toWireEvent, type WireEvent } from '../wire/wire-event.js';
