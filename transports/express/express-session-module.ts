import type expressSession from 'express-session';
import { loadOptionalPeer } from '../session-bridge/index.js';

/**
 * express-session, an optional peer dependency: loaded here, once, so that importing
 * `session-api/express` without it installed fails with one error that says what to install
 * (see `loadOptionalPeer`).
 */
export const expressSessionModule: typeof expressSession = (
  await loadOptionalPeer('express-session', 'session-api/express', () => import('express-session'))
).default;
