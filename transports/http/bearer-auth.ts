import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { HttpProblem } from './problem.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Requires `Authorization: Bearer <token>` with one of `tokens` (several, so they can be
 * rotated). Tokens are compared as SHA-256 digests with `timingSafeEqual`, so neither the
 * content nor the length of a token leaks through timing.
 */
export function bearerAuth(tokens: readonly string[]): Middleware {
  const accepted = tokens.map(digest);
  const challenge = { 'WWW-Authenticate': 'Bearer realm="session-api"' };
  return async (ctx, next) => {
    const match = /^Bearer ([^\s]+)$/i.exec(ctx.get('Authorization'));
    if (!match?.[1]) {
      throw new HttpProblem(401, 'unauthorized', 'Unauthorized', 'Send Authorization: Bearer <token>.', challenge);
    }
    const offered = digest(match[1]);
    let found = false;
    for (const token of accepted) found = timingSafeEqual(token, offered) || found;
    if (!found) throw new HttpProblem(401, 'unauthorized', 'Unauthorized', 'The token is not valid.', challenge);
    await next();
  };
}
