import { hash } from 'node:crypto';
import type { Sha256 } from '../core/index.js';

/**
 * SHA-256 through Node's `crypto.hash`: synchronous, about a microsecond for a token, where the
 * core's default (Web Crypto's `crypto.subtle.digest`) costs a promise and a trip through the
 * thread pool on every create and resolve. The core cannot import `node:crypto` (it runs
 * anywhere), so the service passes this one in; library users on Node can do the same.
 */
export const nodeSha256: Sha256 = (text) => hash('sha256', text, 'base64url');
