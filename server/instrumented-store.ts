import { Counter, type Registry } from 'prom-client';
import { BoundHistogram } from '../transports/http/bound-histogram.js';
import { SessionError, type SessionStore } from '../core/index.js';

// `events` is the store's log, handed on as it is (its calls are the sweeper's and the deliveries').
type Operation = Exclude<keyof SessionStore, 'events'>;
// A record, not a list, so that a method the port gains and this file misses is a type error: the
// wrapper holds only what is named here, and a missing method would be undefined at run time.
const MEASURED: Record<Operation, true> = {
  create: true,
  get: true,
  resolve: true,
  update: true,
  rotate: true,
  delete: true,
  list: true,
  listByUser: true,
  deleteByUser: true,
  countByUser: true,
  ping: true,
};
const OPERATIONS = Object.keys(MEASURED) as Operation[];

/**
 * Wraps a store so that every port call is timed and every failure counted, by store and
 * operation. The wrapper is itself a `SessionStore`: the core never knows it is measured.
 */
export function instrumentStore(store: SessionStore, storeName: string, registry: Registry): SessionStore {
  const duration = new BoundHistogram({
    name: 'session_store_operation_duration_seconds',
    help: 'Time of session store operations, by store and operation.',
    labelNames: ['store', 'operation'],
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'session_store_errors_total',
    help: 'Failed session store operations, by store, operation and error code.',
    labelNames: ['store', 'operation', 'code'] as const,
    registers: [registry],
  });
  const measured = {} as Record<Operation, (...args: never[]) => Promise<unknown>>;
  for (const operation of OPERATIONS) {
    const call = (store[operation] as (...args: unknown[]) => Promise<unknown>).bind(store);
    // The labels of an operation's timings are fixed: bound once, not built into a timer per call.
    const time = duration.labels(storeName, operation);
    measured[operation] = async (...args: unknown[]) => {
      const started = performance.now();
      try {
        return await call(...args);
      } catch (error) {
        errors.inc({ store: storeName, operation, code: error instanceof SessionError ? error.code : 'unexpected' });
        throw error;
      } finally {
        time.observe((performance.now() - started) / 1000);
      }
    };
  }
  return { ...(measured as unknown as SessionStore), events: store.events };
}
