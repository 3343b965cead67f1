/**
 * express-session's store over session-api: any `SessionStore` (memory, Redis, DynamoDB) or a
 * `SessionService`, with log out everywhere and per-user listings. Needs express-session
 * (an optional peer dependency).
 * @packageDocumentation
 */
export {
  createExpressStore,
  ExpressSessionStore,
  listUserSessions,
  logoutEverywhere,
  type ExpressStoreOptions,
} from './express-session-store.js';
export type { SessionBridge, SessionBridgeOptions, SessionBridgeOwnOptions, SetConcurrency } from '../session-bridge/index.js';
