/**
 * The conformance suite of the `SessionStore` port: run it on any store to show it answers
 * exactly like every other.
 * @packageDocumentation
 */
export { checkSessionStore } from './check-session-store.js';
export type {
  CheckSessionStoreOptions,
  ConformanceProperty,
  DisposableStore,
  StoreFactory,
  StoreLimitations,
} from './check-options.js';
export { SessionStoreConformanceError } from './conformance-error.js';
