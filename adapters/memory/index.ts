/**
 * The in-memory session store: the embedded default and the reference for the others.
 * @packageDocumentation
 */
export { MemorySessionStore, type MemorySessionStoreOptions } from './memory-session-store.js';
