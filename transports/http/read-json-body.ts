import type { IncomingMessage } from 'node:http';
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { HttpProblem } from './problem.js';

const JSON_TYPES = ['application/json', 'application/*+json'];
// The Content-Type headers nearly every client sends, and their charset: answered without type-is
// and Koa's charset getter, which parse the header once each on every request.
const COMMON_TYPES: ReadonlyMap<string, string> = new Map([
  ['application/json', ''],
  ['application/json; charset=utf-8', 'utf-8'],
]);
// One decoder for every body: a decode() without `stream` starts afresh, so none leaks into the next.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a JSON request body strictly: JSON media type, UTF-8 only (invalid bytes are an error,
 * not silently replaced), within `limit` bytes, and parseable. Returns `undefined` when the
 * request has no body at all.
 */
export async function readJsonBody(ctx: Context, limit: number): Promise<unknown> {
  const common = COMMON_TYPES.get(ctx.req.headers['content-type'] ?? '');
  const type = common === undefined ? ctx.request.is(...JSON_TYPES) : hasBody(ctx.req) ? 'application/json' : null;
  if (type === null) return undefined;
  if (type === false) {
    throw new HttpProblem('unsupported-media-type', 'Send the body as application/json.');
  }
  const charset = common ?? ctx.request.charset;
  if (charset !== '' && charset.toLowerCase() !== 'utf-8') {
    throw new HttpProblem('unsupported-media-type', 'JSON bodies must be UTF-8.');
  }
  const encoding = ctx.get('Content-Encoding');
  if (encoding !== '' && encoding.toLowerCase() !== 'identity') {
    throw new HttpProblem('unsupported-media-type', 'Compressed bodies are not accepted.');
  }
  let raw: Buffer;
  try {
    const length = ctx.request.length;
    raw = await getRawBody(ctx.req, length === undefined ? { limit } : { limit, length });
  } catch (error) {
    throw bodyReadProblem(error, limit);
  }
  let text: string;
  try {
    text = UTF8.decode(raw);
  } catch {
    throw new HttpProblem('malformed-body', 'The body is not valid UTF-8.');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpProblem('malformed-body', 'The body is not valid JSON.');
  }
}

/** Whether a request has a body, as type-is decides it (so `ctx.request.is` would not answer null). */
function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(req.headers['content-length']));
}

function bodyReadProblem(error: unknown, limit: number): HttpProblem {
  const type = (error as { type?: unknown }).type;
  if (type === 'entity.too.large') {
    return new HttpProblem('payload-too-large', `The body is over the limit of ${limit} bytes.`);
  }
  return new HttpProblem('malformed-body', 'The body could not be read completely.');
}
