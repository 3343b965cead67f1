/**
 * @fastify/session's store over session-api: any `SessionStore` (memory, Redis, DynamoDB) or a
 * `SessionService`, with log out everywhere and per-user listings. Needs @fastify/session and
 * fastify (optional peer dependencies).
 * @packageDocumentation
 */
export {
  createFastifyStore,
  FastifySessionStore,
  LOADED_FIELD,
  listUserSessions,
  logoutEverywhere,
  type FastifyStoreCallback,
  type FastifyStoreOptions,
} from './fastify-session-store.js';
export type { SessionBridge, SessionBridgeOptions, SessionBridgeOwnOptions, SetConcurrency } from '../session-bridge/index.js';
