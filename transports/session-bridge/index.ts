/**
 * The bridge under the session-framework stores (express-session, koa-session,
 * @fastify/session): the framework-neutral operations over the core, which each shell maps its
 * framework's store calls onto.
 * @packageDocumentation
 */
export {
  createSessionBridge,
  type SessionBridge,
  type SessionBridgeOptions,
  type SessionBridgeOwnOptions,
  type SetConcurrency,
} from './session-bridge.js';
