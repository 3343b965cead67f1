import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import {
  createSessionService,
  defaultRetryPolicy,
  retryDelays,
  StoreUnavailableError,
  VersionConflictError,
  type Session,
  type SessionChange,
} from '../../core/index.js';
import { ManualClock } from '../support/manual-clock.js';

/**
 * A memory store where another writer gets in first `losses` times: each conditional update
 * then finds the version moved on (the race a merge loses under heavy contention; by default
 * forever). Version-free updates cannot lose: the store applies them to whatever it holds.
 */
class OvertakenStore extends MemorySessionStore {
  overtaken = 0;
  updates = 0;
  constructor(readonly losses = Infinity) {
    super();
  }
  override async update(id: string, change: SessionChange, now: number): Promise<Session | 'conflict' | 'missing'> {
    this.updates++;
    if (change.expectedVersion !== undefined) await this.#overtake(id, now);
    return super.update(id, change, now);
  }
  async #overtake(id: string, now: number): Promise<void> {
    const current = await this.get(id, now);
    if (current === undefined || this.overtaken >= this.losses) return;
    this.overtaken++;
    await super.update(id, { data: { ...current.data, [`other${this.overtaken}`]: true }, slide: false, absoluteTimeout: 1e12 }, now);
  }
}

describe('a write without If-Match that keeps losing races', () => {
  const setUp = () => {
    const store = new OvertakenStore();
    const waits: number[] = [];
    const service = createSessionService({ store, clock: new ManualClock(), policy: { touchInterval: 0 }, sleep: async (ms) => void waits.push(ms) });
    return { store, service, waits };
  };

  it('patch: backs off within the budget, then ends in StoreUnavailableError, never a conflict', async () => {
    const { store, service, waits } = setUp();
    const session = await service.create({ userId: 'alice' });
    const error = await service.patch(session.id, { mine: 1 }).catch((rejection: unknown) => rejection);
    expect(error).not.toBeInstanceOf(VersionConflictError);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // It waited between attempts, and in all no longer than the budget.
    expect(waits.length).toBeGreaterThanOrEqual(5);
    expect(store.overtaken).toBe(waits.length + 1);
    expect(waits.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(defaultRetryPolicy.budgetMs);
  });

  for (const name of ['replace', 'refresh'] as const) {
    it(`${name}: one store call that cannot lose the race, so it never waits`, async () => {
      const { store, service, waits } = setUp();
      const session = await service.create({ userId: 'alice' });
      const written = await (name === 'replace' ? service.replace(session.id, { mine: 1 }) : service.refresh(session.id));
      expect(written.version).toBe(2);
      expect(store.updates).toBe(1);
      expect(waits).toEqual([]);
    });
  }

  it('a write that loses a few races then wins answers normally', async () => {
    const store = new OvertakenStore(3);
    const service = createSessionService({ store, clock: new ManualClock(), sleep: async () => {} });
    const session = await service.create({ userId: 'alice' });
    const patched = await service.patch(session.id, { mine: 1 });
    expect(patched.data).toEqual({ other1: true, other2: true, other3: true, mine: 1 });
    expect(patched.version).toBe(5);
  });
});

describe('retryDelays', () => {
  it('waits at most its ceiling each time, doubling from the base to the cap, never more than the budget in all', () => {
    fc.assert(
      fc.property(
        fc.record({ baseDelayMs: fc.integer({ min: 1, max: 100 }), maxDelayMs: fc.integer({ min: 1, max: 2000 }), budgetMs: fc.integer({ min: 0, max: 10_000 }) }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (policy, draw) => {
          const delays = [...retryDelays(policy, () => draw)];
          const ceilings = delays.map((_, n) => Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** n));
          delays.forEach((delay, n) => expect(delay).toBeCloseTo(draw * ceilings[n]!, 9));
          expect(ceilings.reduce((sum, c) => sum + c, 0)).toBeLessThanOrEqual(policy.budgetMs);
          const next = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** delays.length);
          expect(ceilings.reduce((sum, c) => sum + c, 0) + next).toBeGreaterThan(policy.budgetMs);
        },
      ),
    );
  });

  it('by default, a dozen attempts within 3 s', () => {
    const ceilings = [...retryDelays(defaultRetryPolicy, () => 1)];
    expect(ceilings).toEqual([5, 10, 20, 40, 80, 160, 320, 500, 500, 500, 500]);
  });
});
