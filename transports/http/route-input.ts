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
  // Without a body nothing waits: the input is there at once, with no promise to settle first.
  return (ctx, path) => {
    const input: Record<string, unknown> = {};
    if (params) {
      if (path.malformed !== undefined) throw malformedPath(path.malformed);
      input['params'] = validate(params, path.params, 'path');
    }
    if (headers) {
      const sent: Record<string, string> = {};
      for (const name of headerNames) {
        const value = ctx.get(name);
        if (value !== '') sent[name] = value;
      }
      input['headers'] = validate(headers, sent, 'headers');
    }
    if (query) input['query'] = validate(query, { ...ctx.query }, 'query');
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
