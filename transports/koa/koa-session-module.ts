import { loadOptionalPeer } from '../session-bridge/index.js';

// Nothing here calls koa-session: its store contract is plain functions. It is loaded only so that
// importing session-api/koa where koa-session is not installed says what to install (issue 16).
await loadOptionalPeer('koa-session', 'session-api/koa', () => import('koa-session'));
