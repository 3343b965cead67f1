import { StoreUnavailableError, type SessionStore } from '../../core/index.js';

/** A store that is down: every call fails the way a real adapter reports an outage. */
export function unavailableStore(): SessionStore {
  const down = async (): Promise<never> => {
    throw new StoreUnavailableError('connection refused', { retryAfterSeconds: 2 });
  };
  return {
    create: down,
    get: down,
    resolve: down,
    update: down,
    rotate: down,
    delete: down,
    list: down,
    listByUser: down,
    deleteByUser: down,
    countByUser: down,
    ping: down,
  };
}
