/**
 * koa-session's external store over session-api: any `SessionStore` (memory, Redis, DynamoDB) or a
 * `SessionService`, with log out everywhere and per-user listings. Needs koa-session (an optional
 * peer dependency).
 * @packageDocumentation
 */
export {
  createKoaStore,
  KoaSessionStore,
  listUserSessions,
  logoutEverywhere,
  type KoaDestroyOptions,
  type KoaGetOptions,
  type KoaMaxAge,
  type KoaSetOptions,
  type KoaStoreOptions,
} from './koa-session-store.js';
export type { SessionBridge, SessionBridgeOptions, SessionBridgeOwnOptions, SetConcurrency } from '../session-bridge/index.js';
