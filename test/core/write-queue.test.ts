import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { createSessionService } from '../../core/index.js';
import { SessionWriteQueue } from '../../core/write-queue.js';
import { countingStore } from '../support/counting-store.js';
import { ManualClock } from '../support/manual-clock.js';

describe('SessionWriteQueue', () => {
  it('runs the writes of one session one at a time, in order, whether they succeed or fail', async () => {
    const queue = new SessionWriteQueue();
    const log: string[] = [];
    const step = (name: string, fail = false) => async () => {
      log.push(`start ${name}`);
      await new Promise((resolve) => setImmediate(resolve));
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([queue.run('s', step('a')), queue.run('s', step('b', true)), queue.run('s', step('c'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(queue.size).toBe(0);
  });

  it('answers a write that throws before it returns a promise with its rejection, and goes on', async () => {
    const queue = new SessionWriteQueue();
    const broken = (): Promise<string> => {
      throw new Error('thrown at once');
    };
    const first = queue.run('s', broken);
    const second = queue.run('s', broken);
    await expect(first).rejects.toThrow('thrown at once');
    await expect(second).rejects.toThrow('thrown at once');
    await expect(queue.run('s', async () => 'after')).resolves.toBe('after');
    expect(queue.size).toBe(0);
  });

  it('never makes one session wait for another', async () => {
    const queue = new SessionWriteQueue();
    let release!: () => void;
    const blocked = queue.run('slow', () => new Promise<void>((resolve) => (release = resolve)));
    await expect(queue.run('other', async () => 'done')).resolves.toBe('done');
    release();
    await blocked;
  });

  it('in the service: concurrent merges in one process cost one read and one write each, no lost races', async () => {
    const counting = countingStore(new MemorySessionStore());
    const service = createSessionService({ store: counting.store, clock: new ManualClock() });
    const session = await service.create({ userId: 'alice' });
    counting.reset();
    await Promise.all(Array.from({ length: 50 }, (_, i) => service.patch(session.id, { [`k${i}`]: i })));
    expect(Object.fromEntries(counting.calls)).toEqual({ get: 50, update: 50 });
  });
});
