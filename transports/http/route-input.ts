import type { Context } from 'koa';
import { malformedPath, type DecodedParams } from './path-params.js';
import { HttpProblem } from './problem.js';
import { readJsonBody } from './read-json-body.js';
import type { Route, RouteInput } from './route.js';
import { validate } from './validate.js';

type AnyInput = RouteInput<never, never, never, never>;

/**
 * Reads and validates a route's input as its declaration says, in the order path, headers,
 * query, body: a malformed request is refused before the handler, and so before any store call.
 */
export function routeInputReader(route: Route, bodyLimitBytes: number): (ctx: Context, path: DecodedParams) => AnyInput | Promise<AnyInput> {
  const { params, headers, query, body } = route.request;
  const headerNames = headers && 'shape' in headers ? Object.keys(headers.shape as object) : [];
  // Node's names of them, for reading `req.headers` without Koa's `ctx.get` (which lowercases each name per call).
  const headerKeys = headerNames.map((name) => name.toLowerCase());
  // Most requests send none of a route's headers and no query: the same empty input every time,
  // which validates to the same answer. That answer is kept (frozen: handlers only read their
  // input) once it has validated; an empty input a schema refuses is refused again each time.
  let noHeaders: unknown;
  let noQuery: unknown;
  // Without a body nothing waits: the input is there at once, with no promise to settle first.
  return (ctx, path) => {
    const input: Record<string, unknown> = {};
    if (params) {
      if (path.malformed !== undefined) throw malformedPath(path.malformed);
      input['params'] = validate(params, path.params, 'path');
    }
    if (headers) {
      let sent: Record<string, string> | undefined;
      for (let i = 0; i < headerKeys.length; i++) {
        // As `ctx.get` reads it: an empty header is no header.
        const value = ctx.req.headers[headerKeys[i]!];
        if (typeof value === 'string' && value !== '') (sent ??= {})[headerNames[i]!] = value;
      }
      input['headers'] = sent !== undefined ? validate(headers, sent, 'headers') : (noHeaders ??= Object.freeze(validate(headers, {}, 'headers')));
    }
    if (query) {
      // No `?` in the target: no query at all (Koa's `ctx.query` would be `{}`).
      const none = ctx.req.url?.includes('?') === false;
      input['query'] = none ? (noQuery ??= Object.freeze(validate(query, {}, 'query'))) : validate(query, { ...ctx.query }, 'query');
    }
    if (!body) return input as unknown as AnyInput;
    return (async () => {
      // An optional body left out: no body at all, or an empty one with no type (curl -X POST).
      const left = route.request.bodyOptional === true && ctx.get('Content-Type') === '' && (ctx.request.length ?? 0) === 0;
      const sent = left ? undefined : await readJsonBody(ctx, bodyLimitBytes);
      const parsed = sent === undefined && route.request.bodyOptional === true ? {} : sent;
      if (parsed === undefined) throw new HttpProblem('invalid-input', 'A JSON body is required.');
      input['body'] = validate(body, parsed, 'body');
      return input as unknown as AnyInput;
    })();
  };
}
