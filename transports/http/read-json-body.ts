import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { HttpProblem } from './problem.js';

const JSON_TYPES = ['application/json', 'application/*+json'];
// One decoder for every body: a decode() without `stream` starts afresh, so none leaks into the next.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a JSON request body strictly: JSON media type, UTF-8 only (invalid bytes are an error,
 * not silently replaced), within `limit` bytes, and parseable. Returns `undefined` when the
 * request has no body at all.
 */
export async function readJsonBody(ctx: Context, limit: number): Promise<unknown> {
  const type = ctx.request.is(...JSON_TYPES);
  if (type === null) return undefined;
  if (type === false) {
    throw new HttpProblem('unsupported-media-type', 'Send the body as application/json.');
  }
  const charset = ctx.request.charset;
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

function bodyReadProblem(error: unknown, limit: number): HttpProblem {
  const type = (error as { type?: unknown }).type;
  if (type === 'entity.too.large') {
    return new HttpProblem('payload-too-large', `The body is over the limit of ${limit} bytes.`);
  }
  return new HttpProblem('malformed-body', 'The body could not be read completely.');
}
