import { loadOptionalPeer } from '../session-bridge/index.js';

// Nothing here calls @fastify/session: its store contract is three callback methods. It is loaded
// only so that importing session-api/fastify where it is not installed says what to install
// (issue 16); @fastify/session itself needs fastify, and says so.
await loadOptionalPeer('@fastify/session', 'session-api/fastify', () => import('@fastify/session'));
