import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { HttpProblem } from './problem.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token. The scheme is case-insensitive
// (RFC 9110 §11.1); the token is everything after the spaces, whole.
const CREDENTIALS = /^Bearer +(\S+)$/i;
const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="session-api"' } as const;

/** Throws 401 unless the request carries one of the accepted tokens. */
export type BearerCheck = (ctx: Context) => void;

/**
 * Requires `Authorization: Bearer <token>` with one of `tokens` (several, so they can be
 * rotated). Tokens are compared as SHA-256 digests with `timingSafeEqual`, against every
 * accepted token, so neither the content nor the length of a token leaks through timing.
 */
export function bearerCheck(tokens: readonly string[]): BearerCheck {
  const accepted = tokens.map(digest);
  return (ctx) => {
    // Node keeps the first of repeated Authorization headers and drops the rest; a proxy in
    // front may read the last. Two credentials are no credential.
    const sent = ctx.req.headersDistinct.authorization;
    if (sent !== undefined && sent.length > 1) throw refused('Send one Authorization header.');
    const match = CREDENTIALS.exec(ctx.get('Authorization'));
    if (!match?.[1]) throw refused('Send Authorization: Bearer <token>.');
    const offered = digest(match[1]);
    let found = false;
    for (const token of accepted) found = timingSafeEqual(token, offered) || found;
    if (!found) throw refused('The token is not valid.');
  };
}

function refused(detail: string): HttpProblem {
  return new HttpProblem('unauthorized', detail, CHALLENGE);
}
